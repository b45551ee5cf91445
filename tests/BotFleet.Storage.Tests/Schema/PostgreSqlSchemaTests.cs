using BotFleet.Storage.Schema;
using BotFleet.Storage.Tests.Fixtures;
using Npgsql;

namespace BotFleet.Storage.Tests.Schema;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSchemaTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EnsurePostgreSql_RunTwice_LeavesSameTablesAndQueries()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        await OrleansSchema.EnsurePostgreSqlAsync(connectionString, TestContext.Current.CancellationToken);
        var first = await SnapshotAsync(connectionString);
        await OrleansSchema.EnsurePostgreSqlAsync(connectionString, TestContext.Current.CancellationToken);
        var second = await SnapshotAsync(connectionString);

        Assert.Equal(first.Objects, second.Objects);
        Assert.Equal(first.Queries, second.Queries);
        Assert.Equal(ExpectedQueryKeys.All.Order(StringComparer.Ordinal), first.Queries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("table:orleansgrainstate", first.Objects);
        Assert.Contains("table:botfleetschemaversion", first.Objects);
    }

    [Fact]
    public async Task EnsurePostgreSql_ConcurrentCallers_AllSucceed()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(
            () => OrleansSchema.EnsurePostgreSqlAsync(connectionString, TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken)));

        Assert.Equal(ExpectedQueryKeys.All.Count, (await SnapshotAsync(connectionString)).Queries.Count);
    }

    private static async Task<Snapshot> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var objects = new List<string>();
        const string ObjectsSql = """
            SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'i' THEN 'index' ELSE c.relkind::text END || ':' || c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' ORDER BY 1
            """;
        await using (var command = new NpgsqlCommand(ObjectsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                objects.Add(reader.GetString(0));
            }
        }

        var queries = new Dictionary<string, string>();
        await using (var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                queries.Add(reader.GetString(0), reader.GetString(1));
            }
        }

        return new Snapshot(objects, queries);
    }

    private sealed record Snapshot(List<string> Objects, Dictionary<string, string> Queries);
}
