using Microsoft.Data.Sqlite;

namespace BotFleet.JobServer.Storage.Sqlite;

/// <summary>
/// The job store's one write connection, kept open, with every statement it ran kept compiled. Writes are serialised
/// by the store's write lock anyway, and compiling SQL was 12 % of the embedded silo's CPU under load (issue 7's
/// profile): each write opened a pooled connection, ran four PRAGMAs (a flag PRAGMA also expires every compiled
/// statement of the connection) and compiled its statements again. Use it only under the write lock, inside
/// <see cref="Begin"/>'s transaction.
/// </summary>
internal sealed class SqliteWriteConnection : IDisposable
{
    /// <summary>Distinct statements kept between transactions; the claim's SQL varies with its number of operations.</summary>
    private const int MaxCachedStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SqliteWriteConnection(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The transaction of the write in progress.</summary>
    public SqliteTransaction Transaction => _transaction ?? throw new InvalidOperationException("No write transaction is open.");

    public SqliteTransaction Begin()
    {
        if (_statements.Count > MaxCachedStatements)
        {
            DisposeStatements();
        }

        return _transaction = Connection.BeginTransaction();
    }

    /// <summary>Commits the write. A write that failed is rolled back by disposing the connection instead.</summary>
    public void Commit()
    {
        var transaction = Transaction;
        _transaction = null;
        using (transaction)
        {
            transaction.Commit();
        }
    }

    /// <summary>
    /// The compiled statement for <paramref name="sql"/>, bound to <paramref name="parameters"/> and to the current
    /// transaction. The connection owns it: never dispose it; dispose its readers.
    /// </summary>
    public SqliteCommand Statement(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }

        command.Transaction = Transaction;
        foreach (var (name, value) in parameters)
        {
            if (command.Parameters.Contains(name))
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }
            else
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return command;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Statement(sql, parameters).ExecuteNonQuery();

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters) => Statement(sql, parameters).ExecuteScalar();

    public void Dispose()
    {
        _transaction?.Dispose();
        DisposeStatements();
        Connection.Dispose();
    }

    private void DisposeStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}
