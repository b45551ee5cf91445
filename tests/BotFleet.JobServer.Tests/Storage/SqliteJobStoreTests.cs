using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>What only the SQLite store has to show: upgrading a file written by an older version, index use.</summary>
public sealed class SqliteJobStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new("botfleet-sqlite-store-");

    private static readonly DateTimeOffset Start = new(2025, 1, 19, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_DatabaseOfSchemaVersion2WithJobs_CountsThemOnUpgrade()
    {
        var path = await CreateDatabaseAsync();

        // Back to version 2, as a file from before the status counts, holding 30 jobs written by that version.
        Execute(
            path,
            """
            DROP TRIGGER IF EXISTS jobs_status_counts_insert;
            DROP TRIGGER IF EXISTS jobs_status_counts_update;
            DROP TRIGGER IF EXISTS jobs_status_counts_delete;
            DROP TABLE job_status_counts;
            ALTER TABLE jobs DROP COLUMN lease_started_at;
            ALTER TABLE bots DROP COLUMN last_claim_id;
            ALTER TABLE bots DROP COLUMN last_claim_jobs;
            ALTER TABLE bots DROP COLUMN outbox_size;
            ALTER TABLE bots DROP COLUMN last_error;
            ALTER TABLE jobs DROP COLUMN trace_parent;
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
        Assert.Equal((long)SqliteSchema.Version, Scalar(path, "SELECT version FROM schema_version"));
    }

    [Fact]
    public async Task Write_FailingHalfWay_ChangesNothingAndTheNextWriteSeesTheSchemaChangedMeanwhile()
    {
        var path = await CreateDatabaseAsync();
        using var store = CreateStore(path);
        await store.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, null)], Token);

        // Another connection changes the schema under the store's compiled statements: the next insert of "boom" fails.
        Execute(path, "CREATE TRIGGER refuse_boom BEFORE INSERT ON jobs WHEN NEW.op = 'boom' BEGIN SELECT RAISE(ABORT, 'no boom'); END;");
        var failure = await Assert.ThrowsAsync<SqliteException>(() => store.SubmitAsync(
            [new NewJob("sum", "{}", JobPriority.Normal, 5, null, null), new NewJob("boom", "{}", JobPriority.Normal, 5, null, null)],
            Token));
        await store.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, null)], Token);

        Assert.Contains("no boom", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2L, Scalar(path, "SELECT COUNT(*) FROM jobs"));
        Assert.Equal(new StatusCounts(2, 0, 0, 0), Assert.Single((await store.GetStatsAsync(Token)).ByOp).Value);
    }

    [Fact]
    public async Task Initialize_DatabaseOfSchemaVersion4WithARunningAttempt_MovesItToTheLeaseAndTheReportWritesItOnce()
    {
        var path = await CreateDatabaseAsync();
        string botId;
        using (var store = CreateStore(path))
        {
            botId = (await store.RegisterBotAsync(
                new BotRegistration("key-1", "instance-1", "1.2.3", ["sum"], 5, "h", "r", Start.AddHours(1), null, null), Token)).BotId;
        }

        // As version 4 left it: a leased job whose attempt row was inserted, still open, when it was claimed.
        Execute(
            path,
            $$"""
            ALTER TABLE jobs DROP COLUMN lease_started_at;
            ALTER TABLE bots DROP COLUMN last_claim_id;
            ALTER TABLE bots DROP COLUMN last_claim_jobs;
            ALTER TABLE bots DROP COLUMN outbox_size;
            ALTER TABLE bots DROP COLUMN last_error;
            ALTER TABLE jobs DROP COLUMN trace_parent;
            UPDATE schema_version SET version = 4;
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, lease_until, lease_bot_id, lease_instance_id, created_at, updated_at)
            VALUES ('job_1', 'sum', '{}', 'leased', 1, 1, 5, 0, {{Start.AddMinutes(5).ToUnixTimeMilliseconds()}}, '{{botId}}', 'instance-1', 0, 0);
            INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started) VALUES ('job_1', 1, '{{botId}}', 'instance-1', 1234);
            """);

        using var upgraded = CreateStore(path);
        await RunningAttemptUpgrade.AssertMovedToTheLeaseAsync(upgraded, botId, Start, Token);
        // The upgrade deleted the open attempt row, and the completion kept its attempt on the jobs row.
        Assert.Equal(0L, Scalar(path, "SELECT COUNT(*) FROM job_attempts"));
        Assert.Equal(
            $"{botId}|instance-1|{RunningAttemptUpgrade.StartedMs}",
            Scalar(path, "SELECT lease_bot_id || '|' || lease_instance_id || '|' || lease_started_at FROM jobs"));
    }

    [Fact]
    public async Task ClaimAndListings_LongHistory_ReadPartialIndexesNotTheTable()
    {
        var path = await CreateDatabaseAsync();

        Execute(
            path,
            """
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000)
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, created_at, updated_at)
            SELECT 'job_' || n, CASE WHEN n % 2 = 0 THEN 'sum' ELSE 'subtract' END, '{}',
                   CASE WHEN n > 19990 THEN 'pending' WHEN n > 19980 THEN 'dead' ELSE 'completed' END, 1, 1, 5, 0, 0, 0
            FROM g;
            ANALYZE;
            """);

        var claim = QueryPlan(path, "SELECT seq, priority FROM jobs WHERE status = 'pending' AND op = 'sum' AND run_after <= 1 ORDER BY priority DESC, seq LIMIT 25");
        var pending = QueryPlan(path, "SELECT seq FROM jobs WHERE seq > 0 AND status = 'pending' AND (NULL IS NULL OR op = NULL) ORDER BY seq LIMIT 51");
        var dead = QueryPlan(path, "SELECT seq FROM jobs WHERE seq > 0 AND status = 'dead' ORDER BY seq LIMIT 51");

        Assert.Contains("ix_jobs_queue", claim, StringComparison.Ordinal);
        Assert.Contains("ix_jobs_pending", pending, StringComparison.Ordinal);
        Assert.Contains("ix_jobs_dead", dead, StringComparison.Ordinal);
        Assert.All(new[] { claim, pending, dead }, plan => Assert.DoesNotContain("SCAN jobs", plan, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusCounts_AfterSubmitsClaimsReportsRetriesAndExpiredLeases_EqualARecountOfTheJobs()
    {
        var path = _folder.File("jobs.db");
        var time = new FakeTimeProvider(Start);
        using var store = CreateStore(path, time);
        var bot = await store.RegisterBotAsync(
            new BotRegistration("key-1", "instance-1", "1.0.0", ["sum", "echo"], 50, "token", "refresh", Start.AddHours(1), null, null),
            Token);
        await store.SubmitAsync([.. Enumerable.Range(0, 20).Select(i => new NewJob(i % 2 == 0 ? "sum" : "echo", "{}", JobPriority.Normal, i < 4 ? 1 : 5, null, null))], Token);
        // An idempotent repeat inserts nothing and must count nothing.
        await store.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, "once"), new NewJob("sum", "{}", JobPriority.Normal, 5, null, "once")], Token);

        var claimed = (await store.ClaimAsync(bot.BotId, ["sum", "echo"], 15, null, Token))!;
        await store.ReportAsync(
            [
                JobReportCommand.Complete(claimed[0].Id, "instance-1", "{}"),
                JobReportCommand.Complete(claimed[1].Id, "instance-1", "{}"),
                JobReportCommand.Fail(claimed[2].Id, "instance-1", "boom"), // back to pending, or dead after its only attempt
                JobReportCommand.Fail(claimed[3].Id, "instance-1", "boom"),
                JobReportCommand.Complete(claimed[3].Id, "instance-1", "{}"), // a late word on a job already failed: refused
                JobReportCommand.Complete("job_unknown", "instance-1", "{}"),
            ],
            bot.BotId,
            Token);
        time.Advance(TimeSpan.FromMinutes(10));
        var swept = await store.SweepExpiredLeasesAsync(Token);
        var reclaimed = (await store.ClaimAsync(bot.BotId, ["sum"], 3, null, Token))!;
        await store.ReportAsync([JobReportCommand.Complete(reclaimed[0].Id, "instance-1", "{}")], bot.BotId, Token);

        var kept = Rows(path, "SELECT op || ' ' || status || ' ' || n FROM job_status_counts WHERE n <> 0 ORDER BY op, status");
        var recount = Rows(path, "SELECT op || ' ' || status || ' ' || count(*) FROM jobs GROUP BY op, status ORDER BY op, status");

        Assert.Equal(11, swept);
        Assert.Equal(3, reclaimed.Count);
        Assert.Equal(recount, kept);
        var stats = (await store.GetStatsAsync(Token)).Jobs;
        Assert.Equal(21, stats.Pending + stats.Leased + stats.Completed + stats.Dead);
    }

    [Fact]
    public async Task OpenConnection_EveryConnection_WaitsForLocksSyncsNormallyChecksKeysAndKeepsTempDataInMemory()
    {
        using var store = CreateStore(await CreateDatabaseAsync());

        // Twice: the second connection comes from the pool, where a setting could have been lost.
        for (var i = 0; i < 2; i++)
        {
            using var connection = store.OpenConnection();

            Assert.Equal(5000L, Pragma(connection, "busy_timeout"));
            Assert.Equal(1L, Pragma(connection, "synchronous")); // 1 = NORMAL
            Assert.Equal(1L, Pragma(connection, "foreign_keys"));
            Assert.Equal(2L, Pragma(connection, "temp_store")); // 2 = MEMORY
            Assert.Equal("wal", Pragma(connection, "journal_mode"));
        }
    }

    public void Dispose() => _folder.Dispose();

    private static object? Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return command.ExecuteScalar();
    }

    private static string QueryPlan(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }

    /// <summary>A database file at the current schema version, with no jobs.</summary>
    private async Task<string> CreateDatabaseAsync()
    {
        var path = _folder.File("jobs.db");
        using var store = CreateStore(path);
        await store.InitializeAsync(Token);
        return path;
    }

    private static SqliteJobStore CreateStore(string path, TimeProvider? time = null) =>
        new(
            Microsoft.Extensions.Options.Options.Create(new JobServerOptions { DatabasePath = path }),
            time ?? new FakeTimeProvider(Start),
            NullLogger<SqliteJobStore>.Instance);

    private static List<string> Rows(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }
}
