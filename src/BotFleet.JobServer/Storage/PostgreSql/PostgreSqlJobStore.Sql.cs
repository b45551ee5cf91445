using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using Npgsql;
using NpgsqlTypes;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

// Connection handling and the SQL shared by several operations.
public sealed partial class PostgreSqlJobStore
{
    private const string JobColumns =
        "seq, id, op, payload, status, priority, attempt, max_attempts, result, error, run_after, lease_until, created_at, updated_at, "
        + "lease_bot_id, lease_instance_id, lease_started_at, cancel_requested_at, progress_percent, progress_message, progress_attempt";

    private const string AssignmentColumns =
        "COALESCE(assigned_operations, capabilities), COALESCE(assigned_max_concurrency, max_concurrency), paused";

    /// <summary>
    /// Ends every expired lease that nobody holds a lock on (and tells the earliest lease left, for <see cref="LeaseExpiryWatch"/>): the attempt is "lost"; the job is pending again, dead
    /// when it has no attempts left, or cancelled when an operator asked for that while it ran. SKIP LOCKED plus the re-check of the WHERE clause on the locked row means a lease
    /// being extended (or reported) right now is never taken away.
    /// </summary>
    private const string SweepSql = """
        WITH expired AS (
            SELECT seq, lease_bot_id, lease_instance_id, COALESCE(lease_started_at, updated_at) AS started FROM jobs
            WHERE status = 'leased' AND lease_until < @now
            FOR UPDATE SKIP LOCKED
        ), swept AS (
            UPDATE jobs j
            SET status = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled' WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'pending' END,
                error = @error, run_after = @now, lease_until = NULL, lease_bot_id = NULL, lease_instance_id = NULL,
                lease_started_at = NULL, updated_at = @now
            FROM expired
            WHERE j.seq = expired.seq
            RETURNING j.id, j.op, j.status, j.attempt, expired.lease_bot_id, expired.lease_instance_id, expired.started
        ), lost AS (
            -- The attempt's one write: it ends here.
            INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started, ended, outcome, error)
            SELECT id, attempt, lease_bot_id, lease_instance_id, started, @now, 'lost', @error FROM swept
        )
        SELECT count(*)::integer,
               (SELECT min(lease_until) FROM jobs WHERE status = 'leased' AND lease_until >= @now),
               array_agg(id) FILTER (WHERE status = 'dead'),
               array_agg(op) FILTER (WHERE status = 'dead'),
               array_agg(attempt) FILTER (WHERE status = 'dead'),
               array_agg(id) FILTER (WHERE status = 'cancelled'),
               array_agg(op) FILTER (WHERE status = 'cancelled')
        FROM swept
        """;

    /// <summary>Jobs per (op, status), from the change rows the jobs triggers keep (schema version 2).</summary>
    private const string StatusCountsSql = """
        SELECT op, status, sum(n)::bigint FROM job_status_counts GROUP BY op, status HAVING sum(n) <> 0
        """;

    private const string FoldStatusCountsSql = """
        WITH folded AS (
            DELETE FROM job_status_counts RETURNING op, status, n
        )
        INSERT INTO job_status_counts (op, status, n)
        SELECT op, status, sum(n) FROM folded GROUP BY op, status HAVING sum(n) <> 0
        """;

    /// <summary>The current schema version, creating the version table first; runs under the migration lock.</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)"))
        {
            Add(command, "key", PostgreSqlSchema.AdvisoryLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = Command(connection, transaction, PostgreSqlSchema.CreateVersionTable))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int version;
        await using (var command = Command(connection, transaction, "SELECT COALESCE(max(version), 0) FROM job_store_schema"))
        {
            version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        foreach (var (target, sql) in PostgreSqlSchema.Migrations.Where(m => m.Version > version))
        {
            await using (var command = Command(connection, transaction, sql))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var command = Command(connection, transaction, "DELETE FROM job_store_schema; INSERT INTO job_store_schema (version) VALUES (@version)"))
            {
                Add(command, "version", target);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            LogSchemaMigrated(_logger, connection.Database, target);
        }

        await transaction.CommitAsync(cancellationToken);
        LogSchemaReady(_logger, connection.Database, connection.Host, PostgreSqlSchema.Version);
    }

    /// <summary>Runs <paramref name="work"/> in one READ COMMITTED transaction; it gets "now" in unix ms from the TimeProvider.</summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, long, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction, NowMs());
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    private long NowMs() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// For the claim's transaction only: the pick must walk ix_jobs_claim in order and stop at the limit. Until
    /// autovacuum has analyzed a fast-growing table the planner believes the queue is a few rows and prefers a bitmap
    /// scan that sorts every pending job of the operation: 215 ms instead of 16 for 100 jobs out of 97,000 (issue 7).
    /// (enable_sort = off as well made the rest of the statement far slower.)
    /// </summary>
    internal const string ClaimPlannerSettings = "SET LOCAL enable_bitmapscan = off";

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) => new(sql, connection, transaction);

    private static void Add<T>(NpgsqlCommand command, string name, T value) => command.Parameters.Add(new NpgsqlParameter<T>(name, value));

    /// <summary>A parameter that may be NULL, with its type stated (PostgreSQL cannot infer the type of a bare NULL).</summary>
    private static void AddNullable(NpgsqlCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    /// <returns>How many leases expired, and the jobs that ended because of it (dead or cancelled; null when none).</returns>
    private async Task<(int Count, EndedJobs? Ended)> SweepExpiredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long now, CancellationToken cancellationToken)
    {
        int swept;
        long? earliestLeft;
        EndedJobs? ended = null;
        await using (var command = Command(connection, transaction, SweepSql))
        {
            Add(command, "now", now);
            Add(command, "error", LeaseExpiredError);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            swept = reader.GetInt32(0);
            earliestLeft = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            if (!reader.IsDBNull(2))
            {
                var ids = reader.GetFieldValue<string[]>(2);
                var ops = reader.GetFieldValue<string[]>(3);
                var attempts = reader.GetFieldValue<int[]>(4);
                for (var i = 0; i < ids.Length; i++)
                {
                    (ended ??= new()).Died.Add(new DeadJob(ids[i], ops[i], attempts[i], LeaseExpiredError));
                }
            }

            if (!reader.IsDBNull(5))
            {
                var ids = reader.GetFieldValue<string[]>(5);
                var ops = reader.GetFieldValue<string[]>(6);
                for (var i = 0; i < ids.Length; i++)
                {
                    (ended ??= new()).Cancelled.Add((ids[i], ops[i]));
                }
            }
        }

        _leaseExpiry.Swept(earliestLeft);
        return (swept, ended);
    }

    /// <summary>
    /// Locks the reported jobs (in id order) and reads them with their latest attempts, in one round trip. The read
    /// is a statement of its own after the lock: it sees the attempt of a claim that committed while we waited.
    /// </summary>
    private static async Task<Dictionary<string, ReportedJob>> ReadReportedJobsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string[] ids,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT 1 FROM jobs WHERE id = ANY(@ids) ORDER BY id FOR UPDATE"),
                new NpgsqlBatchCommand(
                    """
                    SELECT j.id, j.op, j.status, j.attempt, j.max_attempts, j.result,
                           COALESCE(a.bot_id, j.lease_bot_id), COALESCE(a.instance_id, j.lease_instance_id), a.outcome, a.error,
                           j.lease_started_at, a.job_id IS NOT NULL, j.cancel_requested_at IS NOT NULL
                    FROM jobs j LEFT JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt
                    WHERE j.id = ANY(@ids)
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>("ids", ids));
        }

        var jobs = new Dictionary<string, ReportedJob>(ids.Length, StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = reader.GetString(2);
            var attemptBotId = reader.IsDBNull(6) ? null : reader.GetString(6);
            var attemptRecorded = reader.GetBoolean(11);
            var job = new ReportedJob(
                reader.GetString(0),
                reader.GetString(1),
                status,
                reader.GetInt32(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5))
            {
                AttemptBotId = attemptBotId,
                AttemptInstanceId = reader.IsDBNull(7) ? null : reader.GetString(7),
                AttemptOutcome = ReportedJob.StoredOutcome(status, attemptRecorded, reader.IsDBNull(8) ? null : reader.GetString(8), attemptBotId),
                AttemptError = reader.IsDBNull(9) ? null : reader.GetString(9),
                AttemptStartedAt = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                AttemptRecorded = attemptRecorded,
                CancelRequested = reader.GetBoolean(12),
            };
            jobs[job.Id] = job;
        }

        return jobs;
    }

    private static async Task<HashSet<(string, string, string)>> ReadEarlierFailuresAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string[] ids,
        string botId,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            "SELECT job_id, instance_id, error FROM job_attempts WHERE job_id = ANY(@ids) AND bot_id = @bot AND outcome = 'failed' AND error IS NOT NULL");
        Add(command, "ids", ids);
        Add(command, "bot", botId);
        var failures = new HashSet<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return failures;
    }

    /// <summary>
    /// The oldest jobs in <paramref name="status"/> (a literal, so the planner can take that status's partial index) that
    /// also meet <paramref name="filter"/>, up to @limit, locked; rows another transaction holds are skipped.
    /// </summary>
    private static string OldestSql(string status, string filter) =>
        $"SELECT seq, id FROM jobs WHERE status = {StatusLiteral(status)}{filter} ORDER BY seq LIMIT @limit FOR UPDATE SKIP LOCKED";

    /// <summary>
    /// Deletes the jobs <see cref="OldestSql"/> picks, with their attempts, in one statement (the foreign key is checked
    /// when it ends); answers the deleted jobs' operations. Discards of dead jobs and the retention policy use it.
    /// </summary>
    private static async Task<List<string>> DeleteOldestAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string status,
        string filter,
        Action<NpgsqlCommand> bind,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            $"""
            WITH picked AS ({OldestSql(status, filter)}),
            attempts AS (DELETE FROM job_attempts a USING picked p WHERE a.job_id = p.id)
            DELETE FROM jobs j USING picked p WHERE j.seq = p.seq
            RETURNING j.op
            """);
        bind(command);
        return await ReadStringsAsync(command, cancellationToken);
    }

    /// <summary>The first column of every row <paramref name="command"/> answers, as text.</summary>
    private static async Task<List<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>NOTIFY of <see cref="PostgreSqlJobArrivalListener.Channel"/>, one per operation (payload: its name).</summary>
    private static async Task NotifyArrivalsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] operations, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT pg_notify('{PostgreSqlJobArrivalListener.Channel}', op) FROM unnest(@ops) AS op");
        Add(command, "ops", operations);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Writes what a report batch changed: set-based statements over arrays, in one round trip. A completion keeps
    /// its attempt on the jobs row (<see cref="ReportedJob.KeepsAttemptOnRow"/>); only other endings add a
    /// job_attempts row.
    /// </summary>
    private static async Task WriteReportedJobsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        List<ReportedJob> changed,
        long now,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var jobs = new NpgsqlBatchCommand(
            """
            UPDATE jobs j
            SET status = u.status,
                result = CASE WHEN u.status = 'completed' THEN u.result ELSE j.result END,
                error = u.error,
                run_after = CASE WHEN u.status = 'completed' THEN j.run_after ELSE u.run_after END,
                lease_until = NULL,
                lease_bot_id = CASE WHEN u.keep THEN j.lease_bot_id END,
                lease_instance_id = CASE WHEN u.keep THEN j.lease_instance_id END,
                lease_started_at = CASE WHEN u.keep THEN j.lease_started_at END,
                updated_at = @now
            FROM unnest(@ids, @statuses, @results, @errors, @runAfters, @keep) AS u(id, status, result, error, run_after, keep)
            WHERE j.id = u.id
            """);
        jobs.Parameters.Add(new NpgsqlParameter<string[]>("ids", changed.Select(j => j.Id).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter<string[]>("statuses", changed.Select(j => j.Status).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter("results", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changed.Select(j => j.Result).ToArray() });
        jobs.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changed.Select(j => j.Error).ToArray() });
        jobs.Parameters.Add(new NpgsqlParameter<long[]>("runAfters", changed.Select(j => j.RunAfter).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter<bool[]>("keep", changed.Select(j => j.KeepsAttemptOnRow).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter<long>("now", now));
        batch.BatchCommands.Add(jobs);

        var recorded = changed.Where(j => !j.KeepsAttemptOnRow).ToList();
        if (recorded.Count > 0)
        {
            // The attempt's one write: it ends here (a late report of a lease the sweep ended overwrites the "lost" outcome).
            var attempts = new NpgsqlBatchCommand(
                """
                INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started, ended, outcome, error)
                SELECT u.id, u.attempt, u.bot_id, u.instance_id, u.started, @now, u.outcome, u.error
                FROM unnest(@ids, @attempts, @bots, @instances, @starts, @outcomes, @errors)
                     AS u(id, attempt, bot_id, instance_id, started, outcome, error)
                ON CONFLICT (job_id, attempt) DO UPDATE SET ended = excluded.ended, outcome = excluded.outcome, error = excluded.error
                """);
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("ids", recorded.Select(j => j.Id).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<int[]>("attempts", recorded.Select(j => j.Attempt).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("bots", recorded.Select(j => j.AttemptBotId!).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("instances", recorded.Select(j => j.AttemptInstanceId!).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<long[]>("starts", recorded.Select(j => j.AttemptStartedAt ?? now).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("outcomes", recorded.Select(j => j.AttemptOutcome!).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = recorded.Select(j => j.AttemptError).ToArray() });
            attempts.Parameters.Add(new NpgsqlParameter<long>("now", now));
            batch.BatchCommands.Add(attempts);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, List<StoredJobAttempt>>> LoadAttemptsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string[] jobIds,
        CancellationToken cancellationToken)
    {
        var attempts = new Dictionary<string, List<StoredJobAttempt>>(StringComparer.Ordinal);
        if (jobIds.Length == 0)
        {
            return attempts;
        }

        await using var command = Command(
            connection,
            transaction,
            "SELECT job_id, attempt, bot_id, instance_id, started, ended, outcome, error FROM job_attempts WHERE job_id = ANY(@ids) ORDER BY job_id, attempt");
        Add(command, "ids", jobIds);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            AddAttempt(attempts, reader);
        }

        return attempts;
    }

    private static async Task<List<JobRow>> ReadJobsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<JobRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(JobRow.Read(reader));
        }

        return rows;
    }

    private static BotAssignmentState ReadAssignment(NpgsqlDataReader reader, int first) =>
        new(reader.GetFieldValue<string[]>(first), reader.GetInt32(first + 1), reader.GetBoolean(first + 2));
}
