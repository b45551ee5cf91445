using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.PostgreSql;
using BotFleet.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>What only the PostgreSQL store has to show: concurrent migration, index use, and lease rescue beside live locks.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJobStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset StartTime = new(2025, 1, 19, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(StartTime);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_SixServersAtOnce_MigrateOnceToCurrentVersion()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => CreateStore(connectionString)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Token), Token)));

            Assert.Equal([7], await QueryAsync(connectionString, "SELECT version FROM job_store_schema", r => r.GetInt32(0)));
            Assert.Equal(
                ["bots", "job_attempts", "job_status_counts", "job_store_schema", "jobs"],
                await QueryAsync(connectionString, "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", r => r.GetString(0)));
            Assert.Equal(
                ["ix_bots_last_seen", "ix_jobs_cancelled", "ix_jobs_claim", "ix_jobs_dead", "ix_jobs_lease", "ix_jobs_pending"],
                await QueryAsync(connectionString, "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix_%' ORDER BY 1", r => r.GetString(0)));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Claim_LongHistory_ReadsPartialIndexesNotTheTable()
    {
        var connectionString = await CreateDatabaseWithSchemaAsync();

        // 50,000 finished jobs and a few runnable and leased ones: the claim and rescue paths must not scan the history.
        await QueryAsync(
            connectionString,
            """
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, lease_until, created_at, updated_at)
            SELECT 'job_' || g, CASE WHEN g % 2 = 0 THEN 'sum' ELSE 'subtract' END, '{}',
                   CASE WHEN g > 50000 THEN 'pending' WHEN g > 49990 THEN 'leased' ELSE 'completed' END,
                   1, 1, 5, 0, CASE WHEN g > 49990 AND g <= 50000 THEN 1000 END, 0, 0
            FROM generate_series(1, 50020) AS g;
            ANALYZE jobs;
            SELECT 1
            """,
            r => r.GetInt32(0));

        var claimPlan = string.Join('\n', await QueryAsync(
            connectionString,
            """
            EXPLAIN SELECT seq FROM jobs
            WHERE status = 'pending' AND op = 'sum' AND run_after <= 1000
            ORDER BY priority DESC, seq LIMIT 25 FOR UPDATE SKIP LOCKED
            """,
            r => r.GetString(0)));
        var rescuePlan = string.Join('\n', await QueryAsync(
            connectionString,
            "EXPLAIN SELECT seq FROM jobs WHERE status = 'leased' AND lease_until < 2000 FOR UPDATE SKIP LOCKED",
            r => r.GetString(0)));

        var listingPlans = new Dictionary<string, string>();
        foreach (var status in new[] { "pending", "dead" })
        {
            listingPlans[status] = string.Join('\n', await QueryAsync(
                connectionString,
                $"EXPLAIN SELECT seq, id FROM jobs WHERE seq > 0 AND status = '{status}' ORDER BY seq LIMIT 51",
                r => r.GetString(0)));
        }

        Assert.Contains("ix_jobs_pending", listingPlans["pending"], StringComparison.Ordinal);
        Assert.Contains("ix_jobs_dead", listingPlans["dead"], StringComparison.Ordinal);
        // With 20 pending jobs either partial index of pending jobs is cheap; a long queue takes ix_jobs_claim's order.
        Assert.Matches("ix_jobs_claim|ix_jobs_pending", claimPlan);
        Assert.DoesNotContain("Seq Scan", claimPlan, StringComparison.Ordinal);
        Assert.Contains("ix_jobs_lease", rescuePlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", rescuePlan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_QueueGrownFasterThanAutovacuumAnalyzes_StillWalksIxJobsClaimInOrder()
    {
        var connectionString = await CreateDatabaseWithSchemaAsync();

        // A burst of 20,000 submitted jobs that no ANALYZE has seen yet, as in the first minute of a busy deployment.
        await QueryAsync(
            connectionString,
            """
            ALTER TABLE jobs SET (autovacuum_enabled = false);
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, created_at, updated_at)
            SELECT 'job_' || g, 'sum', '{}', 'pending', 1, 0, 5, 0, 0, 0 FROM generate_series(1, 20000) AS g;
            SELECT 1
            """,
            r => r.GetInt32(0));

        var pickPlan = string.Join('\n', await QueryAsync(
            connectionString,
            $"""
            BEGIN;
            {PostgreSqlJobStore.ClaimPlannerSettings};
            EXPLAIN SELECT seq, priority FROM jobs
            WHERE status = 'pending' AND op = 'sum' AND run_after <= 1000
            ORDER BY priority DESC, seq LIMIT 100 FOR UPDATE SKIP LOCKED;
            COMMIT
            """,
            r => r.GetString(0)));

        Assert.Contains("Index Scan using ix_jobs_claim", pickPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Bitmap", pickPlan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", pickPlan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_LeaseRowLockedByAnotherTransaction_SkipsItUntilReleased()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var store = CreateStore(connectionString);
        var locked = (await store.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, null)], Token)).Single();
        var free = (await store.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, null)], Token)).Single();
        var bot = await store.RegisterBotAsync(
            new BotRegistration("key-1", "instance-1", "1.2.3", ["sum"], 5, "h", "r", StartTime.AddHours(1), null, null), Token);
        await store.ClaimAsync(bot.BotId, ["sum"], 2, null, Token);
        _time.Advance(TimeSpan.FromSeconds(61));

        // Another server is in the middle of extending (or reporting) this lease: it holds the row.
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync(Token);
        await using var transaction = await holder.BeginTransactionAsync(Token);
        await using (var command = new NpgsqlCommand("SELECT 1 FROM jobs WHERE id = @id FOR UPDATE", holder, transaction))
        {
            command.Parameters.AddWithValue("id", locked);
            await command.ExecuteScalarAsync(Token);
        }

        var whileHeld = await store.SweepExpiredLeasesAsync(Token);
        await transaction.RollbackAsync(Token);
        var afterRelease = await store.SweepExpiredLeasesAsync(Token);

        Assert.Equal((1, 1), (whileHeld, afterRelease));
        Assert.Equal("pending", (await store.GetJobAsync(free, Token))!.Status);
        Assert.Equal("pending", (await store.GetJobAsync(locked, Token))!.Status);
    }

    [Fact]
    public async Task Initialize_DatabaseOfSchemaVersion1WithJobs_CountsThemOnUpgrade()
    {
        var connectionString = await CreateDatabaseWithSchemaAsync();

        // Back to version 1, as a database from before the status counts, holding 30 jobs written by that version.
        await QueryAsync(
            connectionString,
            """
            DROP TABLE job_status_counts;
            DROP FUNCTION job_status_counts_inserted, job_status_counts_updated, job_status_counts_deleted CASCADE;
            UPDATE job_store_schema SET version = 1;
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, created_at, updated_at)
            SELECT 'job_' || g, CASE WHEN g % 3 = 0 THEN 'sum' ELSE 'subtract' END, '{}',
                   CASE WHEN g % 2 = 0 THEN 'completed' ELSE 'pending' END, 1, 0, 5, 0, 0, 0
            FROM generate_series(1, 30) AS g;
            SELECT 1
            """,
            r => r.GetInt32(0));

        await using var upgraded = CreateStore(connectionString);
        await upgraded.InitializeAsync(Token);
        await upgraded.SubmitAsync([new NewJob("sum", "{}", JobPriority.Normal, 5, null, null)], Token);
        var stats = await upgraded.GetStatsAsync(Token);

        Assert.Equal([7], await QueryAsync(connectionString, "SELECT version FROM job_store_schema", r => r.GetInt32(0)));
        // g = 1..30: sum is g % 3 == 0 (10 jobs, 5 even), subtract the other 20 (10 even); plus the new pending sum.
        Assert.Equal(new StatusCounts(6, 0, 5, 0), stats.ByOp["sum"]);
        Assert.Equal(new StatusCounts(10, 0, 10, 0), stats.ByOp["subtract"]);
    }

    [Fact]
    public async Task Initialize_DatabaseOfSchemaVersion3WithARunningAttempt_MovesItToTheLeaseAndTheReportWritesItOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        string botId;
        await using (var store = CreateStore(connectionString))
        {
            botId = (await store.RegisterBotAsync(
                new BotRegistration("key-1", "instance-1", "1.2.3", ["sum"], 5, "h", "r", StartTime.AddHours(1), null, null), Token)).BotId;
        }

        // As version 3 left it: a leased job whose attempt row was inserted, still open, when it was claimed.
        await QueryAsync(
            connectionString,
            $$"""
            ALTER TABLE jobs DROP COLUMN lease_started_at;
            UPDATE job_store_schema SET version = 3;
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, lease_until, lease_bot_id, lease_instance_id, created_at, updated_at)
            VALUES ('job_1', 'sum', '{}', 'leased', 1, 1, 5, 0, {{StartTime.AddMinutes(5).ToUnixTimeMilliseconds()}}, '{{botId}}', 'instance-1', 0, 0);
            INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started) VALUES ('job_1', 1, '{{botId}}', 'instance-1', 1234);
            SELECT 1
            """,
            r => r.GetInt32(0));

        await using var upgraded = CreateStore(connectionString);
        await RunningAttemptUpgrade.AssertMovedToTheLeaseAsync(upgraded, botId, StartTime, Token);
        // The upgrade deleted the open attempt row, and the completion kept its attempt on the jobs row.
        Assert.Equal(
            [(0L, botId, "instance-1", RunningAttemptUpgrade.StartedMs)],
            await QueryAsync(
                connectionString,
                "SELECT (SELECT count(*) FROM job_attempts), lease_bot_id, lease_instance_id, lease_started_at FROM jobs",
                r => (r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3))));
    }

    [Fact]
    public async Task FoldStatusCounts_WhileClaimersAndReportersRun_KeepsEveryCountAndLeavesOneRowEach()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var store = CreateStore(connectionString);
        await store.SubmitAsync([.. Enumerable.Range(0, 2_000).Select(_ => new NewJob("sum", "{}", JobPriority.Normal, 5, null, null))], Token);
        var bots = new List<BotRegistrationResult>();
        for (var i = 0; i < 4; i++)
        {
            bots.Add(await store.RegisterBotAsync(
                new BotRegistration($"key-{i}", $"instance-{i}", "1.2.3", ["sum"], 50, "h", "r", StartTime.AddHours(1), null, null), Token));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var folds = 0;
        var folder = Task.Run(
            async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await store.FoldStatusCountsAsync(Token);
                    folds++;
                }
            },
            Token);
        await Task.WhenAll(bots.Select(bot => Task.Run(
            async () =>
            {
                while ((await store.ClaimAsync(bot.BotId, ["sum"], 25, null, Token))! is { Count: > 0 } claimed)
                {
                    await store.ReportAsync([.. claimed.Select(j => JobReportCommand.Complete(j.Id, $"instance-{bots.IndexOf(bot)}", "{}"))], bot.BotId, Token);
                }
            },
            Token)));
        await stop.CancelAsync();
        await folder;
        await store.FoldStatusCountsAsync(Token);

        Assert.True(folds > 0);
        Assert.Equal(new StatusCounts(0, 0, 2_000, 0), (await store.GetStatsAsync(Token)).Jobs);
        Assert.Equal(
            ["sum completed 2000"],
            await QueryAsync(connectionString, "SELECT op || ' ' || status || ' ' || n FROM job_status_counts", r => r.GetString(0)));
    }

    private PostgreSqlJobStore CreateStore(string connectionString) =>
        new(
            Microsoft.Extensions.Options.Options.Create(new JobServerOptions
            {
                Store = JobStoreKind.PostgreSql,
                PostgreSqlConnectionString = connectionString,
                JobLeaseTtl = TimeSpan.FromSeconds(60),
                HeartbeatInterval = TimeSpan.FromSeconds(10),
            }),
            _time,
            NullLogger<PostgreSqlJobStore>.Instance);

    /// <summary>A new database holding the store's current schema and nothing else.</summary>
    private async Task<string> CreateDatabaseWithSchemaAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var store = CreateStore(connectionString);
        await store.InitializeAsync(Token);
        return connectionString;
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        var rows = new List<T>();
        do
        {
            while (await reader.ReadAsync(Token))
            {
                rows.Add(read(reader));
            }
        }
        while (await reader.NextResultAsync(Token));

        return rows;
    }
}
