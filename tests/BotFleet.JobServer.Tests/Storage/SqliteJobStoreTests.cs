using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>What only the SQLite store has to show: upgrading a database file written by an older version.</summary>
public sealed class SqliteJobStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new("botfleet-sqlite-store-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_DatabaseOfSchemaVersion2WithJobs_CountsThemOnUpgrade()
    {
        var path = _folder.File("jobs.db");
        using (var store = CreateStore(path))
        {
            await store.InitializeAsync(Token);
        }

        // Back to version 2, as a file from before the status counts, holding 30 jobs written by that version.
        Execute(
            path,
            """
            DROP TRIGGER jobs_status_counts_insert;
            DROP TRIGGER jobs_status_counts_update;
            DROP TRIGGER jobs_status_counts_delete;
            DROP TABLE job_status_counts;
            UPDATE schema_version SET version = 2;
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 30)
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, created_at, updated_at)
            SELECT 'job_' || n, CASE WHEN n % 3 = 0 THEN 'sum' ELSE 'subtract' END, '{}',
                   CASE WHEN n % 2 = 0 THEN 'completed' ELSE 'pending' END, 1, 0, 5, 0, 0, 0
            FROM g;
            """);

        using var upgraded = CreateStore(path);
        await upgraded.InitializeAsync(Token);
        await upgraded.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, null)], Token);
        var stats = await upgraded.GetStatsAsync(Token);

        // n = 1..30: sum is n % 3 == 0 (10 jobs, 5 even), subtract the other 20 (10 even); plus the new pending sum.
        Assert.Equal(new StatusCounts(6, 0, 5, 0), stats.ByOp["sum"]);
        Assert.Equal(new StatusCounts(10, 0, 10, 0), stats.ByOp["subtract"]);
        Assert.Equal(3L, Scalar(path, "SELECT version FROM schema_version"));
    }

    public void Dispose() => _folder.Dispose();

    private static SqliteJobStore CreateStore(string path) =>
        new(
            Microsoft.Extensions.Options.Options.Create(new JobServerOptions { DatabasePath = path }),
            new FakeTimeProvider(new DateTimeOffset(2025, 1, 19, 10, 0, 0, TimeSpan.Zero)),
            NullLogger<SqliteJobStore>.Instance);

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
