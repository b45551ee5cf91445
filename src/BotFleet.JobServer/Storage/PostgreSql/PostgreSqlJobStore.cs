using System.Data.Common;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BotFleet.JobServer.Storage.PostgreSql;

/// <summary>
/// <see cref="IJobStore"/> on PostgreSQL, for several job servers sharing one database: the SQL of each step of
/// <see cref="RelationalJobStore{TTransaction, TConnection}"/>. Every operation is one READ COMMITTED transaction;
/// claims and lease rescue lock rows with FOR UPDATE SKIP LOCKED, so claimers never wait on each other and never lease
/// a job twice. Steps work on sets (arrays, unnest) in as few round trips as they can. "Now" comes from the
/// TimeProvider and is passed as a parameter (never NOW() in SQL), so tests can move time.
/// </summary>
internal sealed partial class PostgreSqlJobStore : RelationalJobStore<NpgsqlTransaction, NpgsqlConnection>, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgreSqlJobStore> _logger;

    /// <param name="arrivals">
    /// Woken after a commit that made jobs claimable (long-poll claims in this process); other servers hear it by the
    /// NOTIFY on <see cref="PostgreSqlJobArrivalListener.Channel"/> sent in that transaction. None in store-only use.
    /// </param>
    /// <param name="events">Told, after the commit, of jobs that went dead and of dead jobs requeued or discarded.</param>
    public PostgreSqlJobStore(
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        ILogger<PostgreSqlJobStore> logger,
        IJobArrivalSignal? arrivals = null,
        JobEvents? events = null)
        : base(RequireConnectionString(options), timeProvider, arrivals, events)
    {
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(PostgreSqlJobStoreConnectionString.From(Options.PostgreSqlConnectionString!));
    }

    /// <summary>
    /// For the claim's transaction only: the pick must walk ix_jobs_claim in order and stop at the limit. Until
    /// autovacuum has analyzed a fast-growing table the planner believes the queue is a few rows and prefers a bitmap
    /// scan that sorts every pending job of the operation: 215 ms instead of 16 for 100 jobs out of 97,000 (issue 7).
    /// (enable_sort = off as well made the rest of the statement far slower.)
    /// </summary>
    internal const string ClaimPlannerSettings = "SET LOCAL enable_bitmapscan = off";

    /// <summary>
    /// Folds the change rows the jobs triggers appended to job_status_counts into one row per (op, status), so stats
    /// stay a read of a few rows. Safe beside writers and beside other servers folding at the same moment: each
    /// transaction removes only committed rows it sees and puts back their sum.
    /// </summary>
    public async Task FoldStatusCountsAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await RunInTransactionAsync(
            async (transaction, _) =>
            {
                await using var command = Command(
                    transaction,
                    """
                    WITH folded AS (
                        DELETE FROM job_status_counts RETURNING op, status, n
                    )
                    INSERT INTO job_status_counts (op, status, n)
                    SELECT op, status, sum(n) FROM folded GROUP BY op, status HAVING sum(n) <> 0
                    """);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Applies missing migrations under a transaction-scoped advisory lock.</summary>
    private protected override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = Command(transaction, "SELECT pg_advisory_xact_lock(@key)"))
        {
            Add(command, "key", PostgreSqlSchema.AdvisoryLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = Command(transaction, PostgreSqlSchema.CreateVersionTable))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int version;
        await using (var command = Command(transaction, "SELECT COALESCE(max(version), 0) FROM job_store_schema"))
        {
            version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        foreach (var (target, sql) in PostgreSqlSchema.Migrations.Where(m => m.Version > version))
        {
            await using (var command = Command(transaction, sql))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var command = Command(transaction, "DELETE FROM job_store_schema; INSERT INTO job_store_schema (version) VALUES (@version)"))
            {
                Add(command, "version", target);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            LogSchemaMigrated(_logger, connection.Database, target);
        }

        await transaction.CommitAsync(cancellationToken);
        LogSchemaReady(_logger, connection.Database, connection.Host, PostgreSqlSchema.Version);
    }

    /// <summary>One READ COMMITTED transaction on a pooled connection.</summary>
    private protected override async Task<T> RunInTransactionAsync<T>(Func<NpgsqlTransaction, long, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(transaction, NowMs());
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    private protected override async Task<T> RunOnConnectionAsync<T>(Func<NpgsqlConnection, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    private protected override NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction) => transaction.Connection!;

    private protected override void DisposeConnections() => _dataSource.Dispose();

    /// <summary>Names are text[].</summary>
    private protected override string[] ReadNames(DbDataReader reader, int column) => reader.GetFieldValue<string[]>(column);

    private protected override void LogLeasesExpired(int count) => LogLeasesExpired(_logger, count);

    private static JobServerOptions RequireConnectionString(IOptions<JobServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Value.PostgreSqlConnectionString))
        {
            throw new InvalidOperationException("JobServer:PostgreSqlConnectionString must be set when JobServer:Store is PostgreSql.");
        }

        return options.Value;
    }

    private static NpgsqlCommand Command(NpgsqlTransaction transaction, string sql) => new(sql, transaction.Connection, transaction);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql) => new(sql, connection);

    private static void Add<T>(NpgsqlCommand command, string name, T value) => command.Parameters.Add(new NpgsqlParameter<T>(name, value));

    /// <summary>A parameter that may be NULL, with its type stated (PostgreSQL cannot infer the type of a bare NULL).</summary>
    private static void AddNullable(NpgsqlCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
}
