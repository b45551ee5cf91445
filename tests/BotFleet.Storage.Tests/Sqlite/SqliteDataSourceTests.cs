using BotFleet.Storage.Schema;
using BotFleet.Storage.Sqlite;
using BotFleet.Storage.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace BotFleet.Storage.Tests.Sqlite;

public sealed class SqliteDataSourceTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task OpenConnection_AppliesBusyTimeoutSynchronousNormalAndMemoryTempStore()
    {
        var path = _folder.File("pragmas.db");
        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);
        await using var dataSource = new SqliteDataSource(path, TimeSpan.FromSeconds(7));

        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);

        Assert.Equal(7000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
        Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous")); // 1 = NORMAL
        Assert.Equal(2L, await ScalarAsync(connection, "PRAGMA temp_store")); // 2 = MEMORY
    }

    [Fact]
    public async Task OpenConnection_PooledConnectionLeftInTransaction_IsRolledBack()
    {
        var path = _folder.File("rollback.db");
        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);
        await using var dataSource = new SqliteDataSource(path);

        // A query text that opens its own transaction and fails before COMMIT leaves it open on the pooled connection.
        await using (var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await ScalarAsync(connection, "BEGIN; INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('orphan', 'x')");
        }

        await using (var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            Assert.NotEqual(0, SQLitePCL.raw.sqlite3_get_autocommit(((SqliteConnection)connection).Handle));
            Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey = 'orphan'"));
        }
    }

    [Fact]
    public void Constructor_NegativeBusyTimeout_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteDataSource(_folder.File("x.db"), TimeSpan.FromSeconds(-1)));

    public void Dispose() => _folder.Dispose();

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
