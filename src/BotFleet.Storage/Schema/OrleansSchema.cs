using BotFleet.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotFleet.Storage.Schema;

/// <summary>
/// Installs the tables and the <c>OrleansQuery</c> rows that the Orleans ADO.NET grain storage, reminder and
/// clustering providers need. Idempotent: running it again keeps data and refreshes the stored queries.
/// Safe to call concurrently from several processes.
/// </summary>
public static class OrleansSchema
{
    // Any fixed 64-bit key works; this one spells "BotFleet" in ASCII so it is recognisable in pg_locks.
    private const long PostgreSqlAdvisoryLockKey = 0x426F74466C656574;

    /// <summary>
    /// Creates or updates the schema in the SQLite database file at <paramref name="databasePath"/>, creating the
    /// file (and its folder) if needed and switching it to WAL journal mode.
    /// </summary>
    public static async Task EnsureSqliteAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var fullPath = Path.GetFullPath(databasePath);
        var folder = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var scripts = SchemaScripts.Load(SqlDialect.Sqlite);
        await using var connection = new SqliteConnection(SqliteConnectionStrings.ForFile(fullPath));
        await connection.OpenAsync(cancellationToken);

        // WAL is a property of the file and must be set outside a transaction. busy_timeout lets concurrent
        // installers (other processes) wait for each other instead of failing with SQLITE_BUSY.
        await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL;", cancellationToken);

        // BEGIN IMMEDIATE takes the write lock up front, so two installers run one after the other.
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var script in scripts)
        {
            await ExecuteAsync(connection, transaction, script.Text, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Creates or updates the schema in the PostgreSQL database that <paramref name="connectionString"/> points at.
    /// The database itself must exist. Concurrent callers are serialised by an advisory lock.
    /// </summary>
    public static async Task EnsurePostgreSqlAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await EnsurePostgreSqlAsync(dataSource, cancellationToken);
    }

    /// <summary>
    /// Creates or updates the schema in the PostgreSQL database behind <paramref name="dataSource"/>.
    /// </summary>
    public static async Task EnsurePostgreSqlAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var scripts = SchemaScripts.Load(SqlDialect.PostgreSql);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; the transaction-scoped
        // advisory lock makes installers queue up and is released by COMMIT or ROLLBACK.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", PostgreSqlAdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var script in scripts)
        {
            await using var command = new NpgsqlCommand(script.Text, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
