using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotFleet.Storage.Sqlite;

/// <summary>
/// A <see cref="DbDataSource"/> for one SQLite file whose opened connections are tuned for Orleans' many small
/// writes: <c>busy_timeout</c> (wait for the write lock instead of failing) and <c>synchronous=NORMAL</c> (safe in
/// WAL mode, and an order of magnitude faster than the default FULL).
/// </summary>
/// <remarks>
/// Only <see cref="DbDataSource.OpenConnection"/> and <see cref="DbDataSource.OpenConnectionAsync"/> apply the
/// settings; that is what the Orleans ADO.NET providers call. The file should be in WAL mode, which
/// <see cref="Schema.OrleansSchema.EnsureSqliteAsync"/> sets.
/// </remarks>
public sealed partial class SqliteDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly ILogger _logger;

    /// <summary>Creates a data source for the SQLite file at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">Path of the database file.</param>
    /// <param name="busyTimeout">How long a connection waits for a lock; at least 0, at most 10 minutes. Default 30 s.</param>
    /// <param name="logger">Receives a warning when a pooled connection had to be rolled back.</param>
    public SqliteDataSource(string databasePath, TimeSpan? busyTimeout = null, ILogger<SqliteDataSource>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(busyTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, TimeSpan.FromMinutes(10), nameof(busyTimeout));

        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = SqliteConnectionStrings.ForFile(DatabasePath);
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public override string ConnectionString => _connectionString;

    /// <inheritdoc/>
    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    /// <inheritdoc/>
    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Prepare(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite is synchronous underneath; the async path exists for the DbDataSource contract.
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            Prepare(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void Prepare(SqliteConnection connection)
    {
        // A pooled connection can come back inside a transaction: a query text that failed between its own
        // BEGIN and COMMIT leaves the transaction open, and every later write on that connection would then be
        // discarded with it. Roll it back before handing the connection out.
        if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            LogRolledBackOpenTransaction(DatabasePath);
            Execute(connection, "ROLLBACK;");
        }

        Execute(connection, _pragmas);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
