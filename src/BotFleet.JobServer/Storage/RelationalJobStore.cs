using System.Data.Common;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Telemetry;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// The job store's algorithm, written once for both dialects: the steps of each operation and their order, the
/// transaction they share, what is told after the commit (long-poll claims in this process, <see cref="JobEvents"/>),
/// the lease-expiry watch, paging and counting, and the SQL both dialects speak alike. A dialect
/// (<see cref="Sqlite.SqliteJobStore"/>, <see cref="PostgreSql.PostgreSqlJobStore"/>) supplies its transactions and
/// the SQL of each step, as the Orleans ADO.NET providers keep their queries per dialect. The flows are split by
/// concern like the interfaces (Registry, Queue, Catalog, Control), each with the steps it asks of a dialect.
/// </summary>
/// <typeparam name="TTransaction">What a dialect's writing steps run in.</typeparam>
/// <typeparam name="TConnection">What its reading steps run on.</typeparam>
internal abstract partial class RelationalJobStore<TTransaction, TConnection> : IJobStore, IDisposable
    where TTransaction : class
    where TConnection : DbConnection
{
    /// <summary>The error a lease that ran out leaves on its job and its "lost" attempt.</summary>
    private protected const string LeaseExpiredError = "lease expired";

    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private readonly LeaseExpiryWatch _leaseExpiry = new();
    private readonly IJobArrivalSignal? _arrivals;
    private readonly JobEvents? _events;
    private volatile bool _initialized;

    /// <param name="arrivals">Woken after a commit that made jobs claimable (long-poll claims); none in store-only use.</param>
    /// <param name="events">Told, after the commit, of jobs that went dead and of dead jobs requeued or discarded.</param>
    private protected RelationalJobStore(JobServerOptions options, TimeProvider timeProvider, IJobArrivalSignal? arrivals, JobEvents? events)
    {
        Options = options;
        TimeProvider = timeProvider;
        _arrivals = arrivals;
        _events = events;
    }

    private protected JobServerOptions Options { get; }

    private protected TimeProvider TimeProvider { get; }

    /// <summary>
    /// Creates or migrates the schema once. A failure is not remembered: the next call tries again, so a database that
    /// comes up late does not wedge the server.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await MigrateAsync(cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    public void Dispose()
    {
        DisposeConnections();
        _initializeLock.Dispose();
    }

    /// <summary>Brings the schema to the current version; called once, until it succeeds.</summary>
    private protected abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it; the work gets "now" in unix ms, read once the
    /// transaction is under way (<see cref="NowMs"/>).
    /// </summary>
    private protected abstract Task<T> RunInTransactionAsync<T>(Func<TTransaction, long, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a connection outside any write transaction.</summary>
    private protected abstract Task<T> RunOnConnectionAsync<T>(Func<TConnection, ValueTask<T>> work, CancellationToken cancellationToken);

    /// <summary>The connection a transaction runs on, for the steps that read in either.</summary>
    private protected abstract TConnection ConnectionOf(TTransaction transaction);

    private protected abstract void DisposeConnections();

    private protected long NowMs() => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    // Once initialized, straight to the dialect: no async frame of its own on the hot path.
    private Task<T> InTransactionAsync<T>(Func<TTransaction, long, ValueTask<T>> work, CancellationToken cancellationToken) =>
        _initialized ? RunInTransactionAsync(work, cancellationToken) : InitializeThenAsync(() => RunInTransactionAsync(work, cancellationToken), cancellationToken);

    private Task<T> ReadAsync<T>(Func<TConnection, ValueTask<T>> work, CancellationToken cancellationToken) =>
        _initialized ? RunOnConnectionAsync(work, cancellationToken) : InitializeThenAsync(() => RunOnConnectionAsync(work, cancellationToken), cancellationToken);

    private async Task<T> InitializeThenAsync<T>(Func<Task<T>> run, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return await run();
    }

    /// <summary>
    /// A command for SQL both dialects speak alike. Parameters are named "@name" (both providers accept it) and never
    /// null (PostgreSQL cannot type a bare NULL). Dispose it: a command left to the finalizer keeps SQLite's native
    /// statement alive until a GC.
    /// </summary>
    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
