using System.Globalization;
using BotFleet.JobApi.Wire;
using Microsoft.Data.Sqlite;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

// Connection handling and the SQL shared by several operations.
public sealed partial class SqliteJobStore
{
    private const string JobColumns =
        "seq, id, op, payload, status, priority, attempt, max_attempts, result, error, run_after, lease_until, created_at, updated_at";

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

            using var connection = Open();
            // WAL is a property of the file: set once, it stays.
            Command(connection, null, "PRAGMA journal_mode = WAL;").ExecuteNonQuery();
            using var transaction = connection.BeginTransaction();
            Command(connection, transaction, SqliteSchema.Create).ExecuteNonQuery();
            var version = Convert.ToInt32(Command(connection, transaction, "SELECT version FROM schema_version").ExecuteScalar(), CultureInfo.InvariantCulture);
            foreach (var (target, sql) in SqliteSchema.Migrations.Where(m => m.Version > version))
            {
                Command(connection, transaction, sql).ExecuteNonQuery();
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

    /// <summary>Runs <paramref name="work"/> in one transaction while holding the write lock; it gets "now" in unix ms.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, long, T> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // From here on the caller's token is ignored: a transaction either commits whole or rolls back on an error.
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var result = work(connection, transaction, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        using var connection = Open();
        return work(connection);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Command(connection, null, "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;").ExecuteNonQuery();
        return connection;
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

    /// <summary>Ends every expired lease: the attempt is "lost"; the job is pending again, or dead when it has no attempts left.</summary>
    private static int SweepExpired(SqliteConnection connection, SqliteTransaction transaction, long now)
    {
        var expired = new List<(string Id, int Attempt)>();
        using (var reader = Command(
            connection,
            transaction,
            """
            UPDATE jobs
            SET status = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'pending' END,
                error = @error, run_after = @now, lease_until = NULL, lease_bot_id = NULL, lease_instance_id = NULL,
                updated_at = @now
            WHERE status = 'leased' AND lease_until < @now
            RETURNING id, attempt
            """,
            ("@error", LeaseExpiredError),
            ("@now", now)).ExecuteReader())
        {
            while (reader.Read())
            {
                expired.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        foreach (var (id, attempt) in expired)
        {
            EndAttempt(connection, transaction, id, attempt, now, AttemptOutcomes.Lost, LeaseExpiredError);
        }

        return expired.Count;
    }

    private static void EndAttempt(SqliteConnection connection, SqliteTransaction transaction, string jobId, int attempt, long now, string outcome, string? error) =>
        Command(
            connection,
            transaction,
            "UPDATE job_attempts SET ended = @now, outcome = @outcome, error = @error WHERE job_id = @job AND attempt = @attempt",
            ("@now", now),
            ("@outcome", outcome),
            ("@error", error),
            ("@job", jobId),
            ("@attempt", attempt)).ExecuteNonQuery();

    /// <summary>
    /// What a report from <paramref name="instanceId"/> finds. <see cref="ReportState.Result"/> is set when the
    /// answer is already clear: unknown job, never claimed, or its latest attempt belongs to someone else.
    /// </summary>
    private static ReportState ReadReportState(SqliteConnection connection, SqliteTransaction transaction, string jobId, string instanceId)
    {
        string status;
        int attempt, maxAttempts;
        string? storedResult;
        using (var job = Command(connection, transaction, "SELECT status, attempt, max_attempts, result FROM jobs WHERE id = @id", ("@id", jobId)).ExecuteReader())
        {
            if (!job.Read())
            {
                return new ReportState(ReportResult.NotFound, string.Empty, 0, 0, null, null, null);
            }

            status = job.GetString(0);
            attempt = job.GetInt32(1);
            maxAttempts = job.GetInt32(2);
            storedResult = job.IsDBNull(3) ? null : job.GetString(3);
        }

        using var latest = Command(
            connection,
            transaction,
            "SELECT instance_id, outcome, error FROM job_attempts WHERE job_id = @id AND attempt = @attempt",
            ("@id", jobId),
            ("@attempt", attempt)).ExecuteReader();
        if (!latest.Read() || !string.Equals(latest.GetString(0), instanceId, StringComparison.Ordinal))
        {
            return new ReportState(ReportResult.Conflict, status, attempt, maxAttempts, null, null, storedResult);
        }

        return new ReportState(
            null,
            status,
            attempt,
            maxAttempts,
            latest.IsDBNull(1) ? null : latest.GetString(1),
            latest.IsDBNull(2) ? null : latest.GetString(2),
            storedResult);
    }

    private static bool RepeatsEarlierFailure(SqliteConnection connection, SqliteTransaction transaction, string jobId, string instanceId, string error) =>
        Command(
            connection,
            transaction,
            "SELECT EXISTS (SELECT 1 FROM job_attempts WHERE job_id = @id AND instance_id = @instance AND outcome = 'failed' AND error = @error)",
            ("@id", jobId),
            ("@instance", instanceId),
            ("@error", error)).ExecuteScalar() is long found && found != 0;

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
