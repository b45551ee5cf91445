using System.Globalization;
using BotFleet.JobApi.Contracts;
using Microsoft.Data.Sqlite;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

// Connection handling and the SQL shared by several operations.
public sealed partial class SqliteJobStore
{
    private const string JobColumns =
        "seq, id, op, payload, status, priority, attempt, max_attempts, result, error, run_after, lease_until, created_at, updated_at, "
        + "lease_bot_id, lease_instance_id, lease_started_at, cancel_requested_at, progress_percent, progress_message, progress_attempt";

    private async Task CreateSchemaAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(_options.DatabasePath));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            using var connection = OpenConnection();
            // WAL is a property of the file: set once, it stays.
            Execute(connection, null, "PRAGMA journal_mode = WAL;");
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, SqliteSchema.Create);
            var version = Convert.ToInt32(Scalar(connection, transaction, "SELECT version FROM schema_version"), CultureInfo.InvariantCulture);
            foreach (var (target, sql) in SqliteSchema.Migrations.Where(m => m.Version > version))
            {
                Execute(connection, transaction, sql);
                LogSchemaMigrated(_logger, _options.DatabasePath, target);
            }

            transaction.Commit();
            LogSchemaReady(_logger, _options.DatabasePath, SqliteSchema.Version);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on the write connection while holding the write lock; it gets
    /// "now" in unix ms.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteWriteConnection, long, T> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // From here on the caller's token is ignored: a transaction either commits whole or rolls back on an error.
            var write = _writeConnection ??= new SqliteWriteConnection(OpenConnection());
            write.Begin();
            try
            {
                var result = work(write, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
                write.Commit();
                return result;
            }
            catch
            {
                // Whatever failed (a statement, the commit) rolls back; the next write starts on a fresh connection.
                _writeConnection = null;
                write.Dispose();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        using var connection = OpenConnection();
        return work(connection);
    }

    /// <summary>A pooled connection with the settings every one needs (internal for the test that checks them).</summary>
    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // temp_store: a multi-row statement keeps a statement journal (to undo itself alone if it fails half way),
        // which spilled to an unlinked temp file; it was the most written file of all (issue 7's profile).
        Execute(connection, null, "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;");
        return connection;
    }

    // A command left to the finalizer keeps its native statement alive until a GC: dispose every one.
    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// Ends every expired lease: the attempt is "lost"; the job is pending again, dead when it has no attempts left, or
    /// cancelled when an operator asked for that while it ran.
    /// Then tells <see cref="LeaseExpiryWatch"/> the earliest lease left (the partial index ix_jobs_lease answers it).
    /// </summary>
    /// <returns>How many leases expired, and the jobs that ended because of it (dead or cancelled; null when none).</returns>
    private (int Count, EndedJobs? Ended) SweepExpired(SqliteWriteConnection write, long now)
    {
        EndedJobs? ended = null;
        // The lease's holder and start are read first: the update clears them, and they make the "lost" attempt.
        var expired = new List<(string Id, int Attempt, string BotId, string InstanceId, long Started)>();
        using (var reader = write.Statement(
            """
            SELECT id, attempt, lease_bot_id, lease_instance_id, COALESCE(lease_started_at, updated_at) FROM jobs
            WHERE status = 'leased' AND lease_until < @now
            """,
            ("@now", now)).ExecuteReader())
        {
            while (reader.Read())
            {
                expired.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
            }
        }

        if (expired.Count > 0)
        {
            var counts = new StatusCountDeltas();
            using (var returned = write.Statement(
                """
                UPDATE jobs
                SET status = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled' WHEN attempt >= max_attempts THEN 'dead' ELSE 'pending' END,
                    error = @error, run_after = @now, lease_until = NULL, lease_bot_id = NULL, lease_instance_id = NULL,
                    lease_started_at = NULL, updated_at = @now
                WHERE status = 'leased' AND lease_until < @now
                RETURNING op, status, id, attempt
                """,
                ("@error", LeaseExpiredError),
                ("@now", now)).ExecuteReader())
            {
                while (returned.Read())
                {
                    var (op, status) = (returned.GetString(0), returned.GetString(1));
                    counts.Move(op, JobStatuses.Leased, status);
                    if (status == JobStatuses.Dead)
                    {
                        (ended ??= new()).Died.Add(new DeadJob(returned.GetString(2), op, returned.GetInt32(3), LeaseExpiredError));
                    }
                    else if (status == JobStatuses.Cancelled)
                    {
                        (ended ??= new()).Cancelled.Add((returned.GetString(2), op));
                    }
                }
            }

            counts.Write(write);
            var lost = AttemptInsert(write, now);
            foreach (var (id, attempt, botId, instanceId, started) in expired)
            {
                SetAttempt(lost, id, attempt, botId, instanceId, started, AttemptOutcomes.Lost, LeaseExpiredError);
                lost.ExecuteNonQuery();
            }
        }

        var earliestLeft = write.Scalar("SELECT min(lease_until) FROM jobs WHERE status = 'leased'");
        _leaseExpiry.Swept(earliestLeft is long until ? until : null);
        return (expired.Count, ended);
    }

    /// <summary>
    /// The oldest jobs in <paramref name="status"/> (a literal, so SQLite can take that status's partial index) that also
    /// meet <paramref name="filter"/>, up to @limit.
    /// </summary>
    private static string OldestSql(string status, string filter) =>
        $"SELECT seq FROM jobs WHERE status = {StatusLiteral(status)}{filter} ORDER BY seq LIMIT @limit";

    /// <summary>
    /// Deletes the jobs <see cref="OldestSql"/> picks with their attempts and takes them out of the status counts;
    /// answers how many of each operation went. Discards of dead jobs and the retention policy use it.
    /// </summary>
    private static Dictionary<string, int> DeleteOldest(SqliteWriteConnection write, string status, string filter, (string Name, object? Value)[] parameters)
    {
        // The write lock is held: both statements pick the same jobs.
        var picked = OldestSql(status, filter);
        write.Statement($"DELETE FROM job_attempts WHERE job_id IN (SELECT id FROM jobs WHERE seq IN ({picked}))", parameters).ExecuteNonQuery();
        var byOp = ReadOps(write.Statement($"DELETE FROM jobs WHERE seq IN ({picked}) RETURNING op", parameters));
        var counts = new StatusCountDeltas();
        foreach (var (op, count) in byOp)
        {
            counts.Remove(op, status, count);
        }

        counts.Write(write);
        return byOp;
    }

    /// <summary>How many rows of each operation <paramref name="command"/> answers (its first column).</summary>
    private static Dictionary<string, int> ReadOps(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var ops = new List<string>();
        while (reader.Read())
        {
            ops.Add(reader.GetString(0));
        }

        return JobControlPlan.CountByOp(ops);
    }

    /// <summary>
    /// The one write of an attempt, when it ends; bind it with <see cref="SetAttempt"/> per row. A late report of a
    /// lease the sweep already ended overwrites the "lost" row's outcome, keeping its start.
    /// </summary>
    private static SqliteCommand AttemptInsert(SqliteWriteConnection write, long now) =>
        write.Statement(
            """
            INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started, ended, outcome, error)
            VALUES (@job, @attempt, @bot, @instance, @started, @now, @outcome, @error)
            ON CONFLICT (job_id, attempt) DO UPDATE SET ended = excluded.ended, outcome = excluded.outcome, error = excluded.error
            """,
            ("@job", string.Empty),
            ("@attempt", 0),
            ("@bot", string.Empty),
            ("@instance", string.Empty),
            ("@started", 0L),
            ("@now", now),
            ("@outcome", string.Empty),
            ("@error", null));

    private static void SetAttempt(SqliteCommand insert, string jobId, int attempt, string botId, string instanceId, long started, string outcome, string? error)
    {
        insert.Parameters["@job"].Value = jobId;
        insert.Parameters["@attempt"].Value = attempt;
        insert.Parameters["@bot"].Value = botId;
        insert.Parameters["@instance"].Value = instanceId;
        insert.Parameters["@started"].Value = started;
        insert.Parameters["@outcome"].Value = outcome;
        insert.Parameters["@error"].Value = (object?)error ?? DBNull.Value;
    }

    /// <summary>The reported jobs with their latest attempts; one compiled statement, re-run per distinct job.</summary>
    private static Dictionary<string, ReportedJob> ReadReportedJobs(SqliteWriteConnection write, IReadOnlyList<JobReportCommand> reports)
    {
        var jobs = new Dictionary<string, ReportedJob>(reports.Count, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var read = write.Statement(
            """
            SELECT j.op, j.status, j.attempt, j.max_attempts, j.result,
                   COALESCE(a.bot_id, j.lease_bot_id), COALESCE(a.instance_id, j.lease_instance_id), a.outcome, a.error,
                   j.lease_started_at, a.job_id IS NOT NULL, j.cancel_requested_at IS NOT NULL
            FROM jobs j LEFT JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt
            WHERE j.id = @id
            """,
            ("@id", string.Empty));
        foreach (var report in reports)
        {
            if (!seen.Add(report.JobId))
            {
                continue;
            }

            read.Parameters["@id"].Value = report.JobId;
            using var reader = read.ExecuteReader();
            if (reader.Read())
            {
                var status = reader.GetString(1);
                var attemptBotId = reader.IsDBNull(5) ? null : reader.GetString(5);
                var attemptRecorded = reader.GetBoolean(10);
                jobs[report.JobId] = new ReportedJob(
                    report.JobId,
                    reader.GetString(0),
                    status,
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4))
                {
                    AttemptBotId = attemptBotId,
                    AttemptInstanceId = reader.IsDBNull(6) ? null : reader.GetString(6),
                    AttemptOutcome = ReportedJob.StoredOutcome(status, attemptRecorded, reader.IsDBNull(7) ? null : reader.GetString(7), attemptBotId),
                    AttemptError = reader.IsDBNull(8) ? null : reader.GetString(8),
                    AttemptStartedAt = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    AttemptRecorded = attemptRecorded,
                    CancelRequested = reader.GetBoolean(11),
                };
            }
        }

        return jobs;
    }

    private static HashSet<(string, string, string)> ReadEarlierFailures(SqliteWriteConnection write, List<string> jobIds, string botId)
    {
        var failures = new HashSet<(string, string, string)>();
        var read = write.Statement(
            "SELECT instance_id, error FROM job_attempts WHERE job_id = @id AND bot_id = @bot AND outcome = 'failed' AND error IS NOT NULL",
            ("@id", string.Empty),
            ("@bot", botId));
        foreach (var id in jobIds)
        {
            read.Parameters["@id"].Value = id;
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                failures.Add((id, reader.GetString(0), reader.GetString(1)));
            }
        }

        return failures;
    }

    /// <summary>
    /// Writes what a report batch changed: compiled statements, re-run per changed job. A completion keeps its attempt
    /// on the jobs row (<see cref="ReportedJob.KeepsAttemptOnRow"/>); only other endings add a job_attempts row.
    /// </summary>
    private static void WriteReportedJobs(SqliteWriteConnection write, List<ReportedJob> changed, long now)
    {
        if (changed.Count == 0)
        {
            return;
        }

        var job = write.Statement(
            """
            UPDATE jobs
            SET status = @status,
                result = CASE WHEN @status = 'completed' THEN @result ELSE result END,
                error = @error,
                run_after = CASE WHEN @status = 'completed' THEN run_after ELSE @runAfter END,
                lease_until = NULL,
                lease_bot_id = CASE WHEN @keep THEN lease_bot_id END,
                lease_instance_id = CASE WHEN @keep THEN lease_instance_id END,
                lease_started_at = CASE WHEN @keep THEN lease_started_at END,
                updated_at = @now
            WHERE id = @id
            """,
            ("@keep", false),
            ("@status", string.Empty),
            ("@result", null),
            ("@error", null),
            ("@runAfter", 0L),
            ("@now", now),
            ("@id", string.Empty));
        var attempt = AttemptInsert(write, now);
        foreach (var changedJob in changed)
        {
            job.Parameters["@status"].Value = changedJob.Status;
            job.Parameters["@result"].Value = (object?)changedJob.Result ?? DBNull.Value;
            job.Parameters["@error"].Value = (object?)changedJob.Error ?? DBNull.Value;
            job.Parameters["@runAfter"].Value = changedJob.RunAfter;
            job.Parameters["@id"].Value = changedJob.Id;
            job.Parameters["@keep"].Value = changedJob.KeepsAttemptOnRow;
            job.ExecuteNonQuery();
            if (changedJob.KeepsAttemptOnRow)
            {
                continue;
            }

            SetAttempt(
                attempt,
                changedJob.Id,
                changedJob.Attempt,
                changedJob.AttemptBotId!,
                changedJob.AttemptInstanceId!,
                changedJob.AttemptStartedAt ?? now,
                changedJob.AttemptOutcome!,
                changedJob.AttemptError);
            attempt.ExecuteNonQuery();
        }
    }

    private static Dictionary<string, List<StoredJobAttempt>> LoadAttempts(SqliteConnection connection, SqliteTransaction? transaction, List<string> jobIds)
    {
        var attempts = new Dictionary<string, List<StoredJobAttempt>>(StringComparer.Ordinal);
        if (jobIds.Count == 0)
        {
            return attempts;
        }

        using var command = Command(connection, transaction, string.Empty);
        var names = new List<string>(jobIds.Count);
        for (var i = 0; i < jobIds.Count; i++)
        {
            var name = "@j" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            names.Add(name);
            command.Parameters.AddWithValue(name, jobIds[i]);
        }

        command.CommandText =
            $"SELECT job_id, attempt, bot_id, instance_id, started, ended, outcome, error FROM job_attempts WHERE job_id IN ({string.Join(", ", names)}) ORDER BY job_id, attempt";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            AddAttempt(attempts, reader);
        }

        return attempts;
    }

    private static List<JobRow> ReadJobs(SqliteCommand command)
    {
        var rows = new List<JobRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JobRow.Read(reader));
        }

        return rows;
    }
}
