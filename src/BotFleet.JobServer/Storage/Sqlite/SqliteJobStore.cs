using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Storage.Sqlite;

/// <summary>
/// <see cref="IJobStore"/> on one SQLite file: the SQL of each step of
/// <see cref="RelationalJobStore{TTransaction, TConnection}"/>. WAL lets readers run beside the writer; writes go
/// through one semaphore and one kept-open connection (<see cref="SqliteWriteConnection"/>), so a transaction never
/// waits on SQLite's file lock and a claim can never interleave with another claim. Steps run row by row on compiled
/// statements, SQLite's cheapest way, and keep job_status_counts in step (<see cref="StatusCountDeltas"/>).
/// </summary>
internal sealed partial class SqliteJobStore : RelationalJobStore<SqliteWriteConnection, SqliteConnection>
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _connectionString;
    private readonly ILogger<SqliteJobStore> _logger;

    /// <summary>Opened by the first write; replaced after a write that failed. Touch only under <see cref="_writeLock"/>.</summary>
    private SqliteWriteConnection? _writeConnection;

    /// <param name="arrivals">Woken after a commit that made jobs claimable (long-poll claims); none in store-only use.</param>
    /// <param name="events">Told, after the commit, of jobs that went dead and of dead jobs requeued or discarded.</param>
    public SqliteJobStore(
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        ILogger<SqliteJobStore> logger,
        IJobArrivalSignal? arrivals = null,
        JobEvents? events = null)
        : base(OptionsOf(options), timeProvider, arrivals, events)
    {
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(Options.DatabasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
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

    private protected override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(Options.DatabasePath));
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
                LogSchemaMigrated(_logger, Options.DatabasePath, target);
            }

            transaction.Commit();
            LogSchemaReady(_logger, Options.DatabasePath, SqliteSchema.Version);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// One transaction on the write connection while holding the write lock; "now" is read once the lock is held, so
    /// it never runs backwards from one write to the next.
    /// </summary>
    private protected override async Task<T> RunInTransactionAsync<T>(Func<SqliteWriteConnection, long, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // From here on the caller's token is ignored: a transaction either commits whole or rolls back on an error.
            var write = _writeConnection ??= new SqliteWriteConnection(OpenConnection());
            write.Begin();
            try
            {
                var result = await work(write, NowMs());
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

    private protected override async Task<T> RunOnConnectionAsync<T>(Func<SqliteConnection, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        using var connection = OpenConnection();
        return await work(connection);
    }

    private protected override SqliteConnection ConnectionOf(SqliteWriteConnection transaction) => transaction.Connection;

    private protected override void DisposeConnections()
    {
        _writeConnection?.Dispose();
        _writeConnection = null;
        _writeLock.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Names are a JSON array kept as text.</summary>
    private protected override string[] ReadNames(DbDataReader reader, int column) =>
        JsonSerializer.Deserialize<string[]>(reader.GetString(column), JobApiJson.Options) ?? [];

    private protected override void LogLeasesExpired(int count) => LogLeasesExpired(_logger, count);

    private static JobServerOptions OptionsOf(IOptions<JobServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
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
}
