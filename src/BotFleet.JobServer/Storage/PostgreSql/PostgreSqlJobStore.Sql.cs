using BotFleet.JobApi.Wire;
using Npgsql;
using NpgsqlTypes;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

// Connection handling and the SQL shared by several operations.
public sealed partial class PostgreSqlJobStore
{
    private const string JobColumns =
        "seq, id, op, payload, status, priority, attempt, max_attempts, result, error, run_after, lease_until, created_at, updated_at";

    private const string AssignmentColumns =
        "COALESCE(assigned_operations, capabilities), COALESCE(assigned_max_concurrency, max_concurrency), paused";

    /// <summary>
    /// Ends every expired lease that nobody holds a lock on: the attempt is "lost"; the job is pending again, or dead
    /// when it has no attempts left. SKIP LOCKED plus the re-check of the WHERE clause on the locked row means a lease
    /// being extended (or reported) right now is never taken away.
    /// </summary>
    private const string SweepSql = """
        WITH expired AS (
            SELECT seq FROM jobs
            WHERE status = 'leased' AND lease_until < @now
            FOR UPDATE SKIP LOCKED
        ), swept AS (
            UPDATE jobs j
            SET status = CASE WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'pending' END,
                error = @error, run_after = @now, lease_until = NULL, lease_bot_id = NULL, lease_instance_id = NULL,
                updated_at = @now
            FROM expired
            WHERE j.seq = expired.seq
            RETURNING j.id, j.attempt
        ), lost AS (
            UPDATE job_attempts a
            SET ended = @now, outcome = 'lost', error = @error
            FROM swept
            WHERE a.job_id = swept.id AND a.attempt = swept.attempt
        )
        SELECT count(*)::integer FROM swept
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

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) => new(sql, connection, transaction);

    private static void Add<T>(NpgsqlCommand command, string name, T value) => command.Parameters.Add(new NpgsqlParameter<T>(name, value));

    /// <summary>A parameter that may be NULL, with its type stated (PostgreSQL cannot infer the type of a bare NULL).</summary>
    private static void AddNullable(NpgsqlCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    private static async Task<int> SweepExpiredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, SweepSql);
        Add(command, "now", now);
        Add(command, "error", LeaseExpiredError);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task EndAttemptAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string jobId,
        int attempt,
        long now,
        string outcome,
        string? error,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            "UPDATE job_attempts SET ended = @now, outcome = @outcome, error = @error WHERE job_id = @job AND attempt = @attempt");
        Add(command, "now", now);
        Add(command, "outcome", outcome);
        AddNullable(command, "error", NpgsqlDbType.Text, error);
        Add(command, "job", jobId);
        Add(command, "attempt", attempt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Locks the job and reads what a report from <paramref name="instanceId"/> finds. <see cref="ReportState.Result"/>
    /// is set when the answer is already clear: unknown job, never claimed, or its latest attempt belongs to someone else.
    /// Both reads go in one round trip; the second runs after the lock is held, so it sees the latest attempt.
    /// </summary>
    private static async Task<ReportState> ReadReportStateAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string jobId,
        string instanceId,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT status, attempt, max_attempts, result FROM jobs WHERE id = @id FOR UPDATE"),
                new NpgsqlBatchCommand(
                    """
                    SELECT a.instance_id, a.outcome, a.error
                    FROM jobs j JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt
                    WHERE j.id = @id
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("id", jobId));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new ReportState(ReportResult.NotFound, string.Empty, 0, 0, null, null, null);
        }

        var status = reader.GetString(0);
        var attempt = reader.GetInt32(1);
        var maxAttempts = reader.GetInt32(2);
        var storedResult = reader.IsDBNull(3) ? null : reader.GetString(3);
        await reader.NextResultAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || !string.Equals(reader.GetString(0), instanceId, StringComparison.Ordinal))
        {
            return new ReportState(ReportResult.Conflict, status, attempt, maxAttempts, null, null, storedResult);
        }

        return new ReportState(
            null,
            status,
            attempt,
            maxAttempts,
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            storedResult);
    }

    private static async Task<bool> RepeatsEarlierFailureAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string jobId,
        string instanceId,
        string error,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            "SELECT EXISTS (SELECT 1 FROM job_attempts WHERE job_id = @id AND instance_id = @instance AND outcome = 'failed' AND error = @error)");
        Add(command, "id", jobId);
        Add(command, "instance", instanceId);
        Add(command, "error", error);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
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
