using BotFleet.Storage.Schema;
using BotFleet.Storage.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace BotFleet.Storage.Tests.Schema;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task EnsureSqlite_RunTwice_LeavesSameObjectsAndQueries()
    {
        var path = _folder.File("schema.db");

        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);
        var first = await SnapshotAsync(path);
        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);
        var second = await SnapshotAsync(path);

        Assert.Equal(first.Objects, second.Objects);
        Assert.Equal(first.Queries, second.Queries);
        Assert.Equal(ExpectedQueryKeys.All.Order(StringComparer.Ordinal), first.Queries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["clustering", "main", "persistence", "quarantine", "reminders"], first.Components);
    }

    [Fact]
    public async Task EnsureSqlite_RerunAfterQueryEdited_RestoresQueryText()
    {
        var path = _folder.File("edited.db");
        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);
        var original = (await SnapshotAsync(path)).Queries["ReadFromStorageKey"];
        await ExecuteAsync(path, "UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'ReadFromStorageKey'");

        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(original, (await SnapshotAsync(path)).Queries["ReadFromStorageKey"]);
    }

    [Fact]
    public async Task EnsureSqlite_NewFile_UsesWalJournal()
    {
        var path = _folder.File("nested/folder/wal.db");

        await OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken);

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new SqliteCommand("PRAGMA journal_mode", connection);
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EnsureSqlite_ConcurrentCallers_AllSucceed()
    {
        var path = _folder.File("concurrent.db");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(
            () => OrleansSchema.EnsureSqliteAsync(path, TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken)));

        Assert.Equal(ExpectedQueryKeys.All.Count, (await SnapshotAsync(path)).Queries.Count);
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<Snapshot> SnapshotAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var objects = new List<string>();
        await using (var command = new SqliteCommand("SELECT type || ':' || name || ':' || IFNULL(sql, '') FROM sqlite_master ORDER BY type, name", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                objects.Add(reader.GetString(0));
            }
        }

        var queries = new Dictionary<string, string>();
        await using (var command = new SqliteCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                queries.Add(reader.GetString(0), reader.GetString(1));
            }
        }

        var components = new List<string>();
        await using (var command = new SqliteCommand("SELECT Component FROM BotFleetSchemaVersion ORDER BY Component", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                components.Add(reader.GetString(0));
            }
        }

        return new Snapshot(objects, queries, components);
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Snapshot(List<string> Objects, Dictionary<string, string> Queries, List<string> Components);
}
