using System.Collections.Concurrent;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>
/// The semantics every <see cref="IJobStore"/> must share, with the SQLite store as the reference. One subclass per
/// store; each test gets a fresh, empty store (its own file or database) and its own fake clock.
/// </summary>
public abstract partial class JobStoreConformanceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset StartTime = new(2025, 1, 19, 10, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(60);

    protected FakeTimeProvider Time { get; } = new(StartTime);

    protected IJobStore Store { get; private set; } = null!;

    /// <summary>Lease 60 s, heartbeat 10 s (bots active for 30 s), backoff 1 s doubling up to 8 s.</summary>
    protected JobServerOptions Options { get; } = new()
    {
        JobLeaseTtl = TimeSpan.FromSeconds(60),
        HeartbeatInterval = TimeSpan.FromSeconds(10),
        RetryBackoffBase = TimeSpan.FromSeconds(1),
        RetryBackoffMax = TimeSpan.FromSeconds(8),
        RetryBackoffJitter = 0,
    };

    /// <summary>How many tasks claim at once in the concurrency test.</summary>
    protected abstract int ConcurrentClaimers { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => Time.GetUtcNow();

    public async ValueTask InitializeAsync()
    {
        Store = await CreateStoreAsync(Options, Time, Events);
        await Store.InitializeAsync(Token);
    }

    public virtual async ValueTask DisposeAsync()
    {
        switch (Store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        await DisposeTelemetryAsync();

        GC.SuppressFinalize(this);
    }

    /// <summary>A new store over an empty database of its own, using <paramref name="options"/>, <paramref name="time"/> and <paramref name="events"/>.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync(JobServerOptions options, TimeProvider time, JobEvents events);

    [Fact]
    public async Task Initialize_Repeated_IsHarmless()
    {
        var id = await SubmitAsync("sum");

        await Store.InitializeAsync(Token);
        await Store.InitializeAsync(Token);

        Assert.Equal(JobStatuses.Pending, (await Store.GetJobAsync(id, Token))!.Status);
    }

    [Fact]
    public async Task Submit_OneMillisecondLater_EveryNewIdSortsAfterEveryEarlierOne()
    {
        var earlier = await Store.SubmitAsync([.. Enumerable.Range(0, 50).Select(_ => NewJob("sum"))], Token);
        Time.Advance(TimeSpan.FromMilliseconds(1));

        var later = await Store.SubmitAsync([.. Enumerable.Range(0, 50).Select(_ => NewJob("sum"))], Token);

        Assert.Equal(100, earlier.Concat(later).Distinct(StringComparer.Ordinal).Count());
        Assert.All(earlier.Concat(later), id => Assert.Matches("^job_[0-9a-f]{32}$", id));
        Assert.True(
            string.CompareOrdinal(earlier.Max(StringComparer.Ordinal), later.Min(StringComparer.Ordinal)) < 0,
            "a job submitted later must get an id that sorts after the earlier ones (the id index then grows at its end)");
    }

    [Fact]
    public async Task Claim_MixedPriorities_HighestFirstThenOldest()
    {
        var low = await SubmitAsync("sum", JobPriority.Low);
        var normal1 = await SubmitAsync("sum", JobPriority.Normal);
        var high1 = await SubmitAsync("sum", JobPriority.High);
        var normal2 = await SubmitAsync("sum", JobPriority.Normal);
        var high2 = await SubmitAsync("sum", JobPriority.High);
        var bot = await RegisterAsync("sum");

        var first = await ClaimAsync(bot, 2, "sum");
        var rest = await ClaimAsync(bot, 10, "sum");

        Assert.Equal([high1, high2], first.Select(j => j.Id));
        Assert.Equal([normal1, normal2, low], rest.Select(j => j.Id));
        Assert.Equal([JobPriority.High, JobPriority.High], first.Select(j => j.Priority));
        Assert.All(first.Concat(rest), j =>
        {
            Assert.Equal(1, j.Attempt);
            Assert.Equal(StartTime + LeaseTtl, j.LeaseUntil);
            Assert.Equal(StartTime, j.CreatedAt);
            Assert.Equal("sum", j.Op);
            Assert.Empty(j.PreviousAttempts);
        });
    }

    [Fact]
    public async Task Claim_RepeatedWithItsClaimId_GetsTheJobsItLeasedThatTheBotStillHolds_AndNothingNew()
    {
        var bot = await RegisterAsync("sum");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SubmitAsync("sum"));
        }

        var first = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-1", Token);
        var repeat = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-1", Token);
        await ReportOneAsync(bot.BotId, JobReportCommand.Complete(first![0].Id, bot.InstanceId, "{}"));
        var afterReport = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-1", Token);
        var next = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-2", Token);
        // Only the latest claim that leased jobs is remembered: an older id claims afresh (and the queue is empty).
        var older = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-1", Token);
        var stats = await Store.GetStatsAsync(Token);

        Assert.Equal(ids[..3], first.Select(j => j.Id));
        Assert.Equal(first.Select(j => (j.Id, j.Attempt, j.LeaseUntil, j.PayloadJson)), repeat!.Select(j => (j.Id, j.Attempt, j.LeaseUntil, j.PayloadJson)));
        Assert.Equal(ids[1..3], afterReport!.Select(j => j.Id));
        Assert.Equal(ids[3..], next!.Select(j => j.Id));
        Assert.Empty(older!);
        Assert.Equal((0L, 4L, 1L), (stats.Jobs.Pending, stats.Jobs.Leased, stats.Jobs.Completed));
        var job = await Store.GetJobAsync(ids[1], Token);
        Assert.Equal(1, job!.Attempt);
    }

    [Fact]
    public async Task Claim_HandsOutTheTraceParentStoredAtSubmit_AlsoWhenRepeated()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var bot = await RegisterAsync("sum");
        var ids = await Store.SubmitAsync([NewJob("sum") with { TraceParent = traceParent }, NewJob("sum")], Token);

        var claimed = await Store.ClaimAsync(bot.BotId, ["sum"], 10, "claim-1", Token);
        var repeat = await Store.ClaimAsync(bot.BotId, ["sum"], 10, "claim-1", Token);

        Assert.Equal([(ids[0], traceParent), (ids[1], null)], claimed!.Select(j => (j.Id, j.TraceParent)));
        Assert.Equal([(ids[0], traceParent), (ids[1], null)], repeat!.Select(j => (j.Id, j.TraceParent)));
    }

    [Fact]
    public async Task Claim_WithAClaimIdThatLeasedNothing_ClaimsAfreshWhenRepeated()
    {
        var bot = await RegisterAsync("sum");
        var empty = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-1", Token);
        var id = await SubmitAsync("sum");

        var repeat = await Store.ClaimAsync(bot.BotId, ["sum"], 3, "claim-1", Token);

        Assert.Empty(empty!);
        Assert.Equal([id], repeat!.Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_RepeatOfAnotherBotsClaimId_NeverHandsOverItsJobs()
    {
        var owner = await RegisterAsync("sum");
        var other = await RegisterAsync("sum");
        var id = await SubmitAsync("sum");
        var claimed = await Store.ClaimAsync(owner.BotId, ["sum"], 3, "claim-1", Token);

        var stolen = await Store.ClaimAsync(other.BotId, ["sum"], 3, "claim-1", Token);

        Assert.Equal([id], claimed!.Select(j => j.Id));
        Assert.Empty(stolen!);
    }

    [Fact]
    public async Task Claim_ReturnsPayloadAndLeasesTheJob()
    {
        var id = await SubmitAsync("sum", payload: """{"a":42,"b":58}""");
        var bot = await RegisterAsync("sum");

        var claimed = Assert.Single(await ClaimAsync(bot, 10, "sum"));

        Assert.Equal("""{"a":42,"b":58}""", claimed.PayloadJson);
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal(JobStatuses.Leased, job.Status);
        Assert.Equal(1, job.Attempt);
        Assert.Equal(StartTime + LeaseTtl, job.LeaseUntil);
        var attempt = Assert.Single(job.Attempts);
        Assert.Equal(new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, null, null, null), attempt);
    }

    [Fact]
    public async Task Claim_OtherOperationsPending_ReturnsOnlyRequestedOnes()
    {
        var sum = await SubmitAsync("sum");
        var subtract = await SubmitAsync("subtract");
        var multiply = await SubmitAsync("multiply");
        var bot = await RegisterAsync("sum", "subtract", "multiply");

        var claimed = await ClaimAsync(bot, 10, "subtract", "sum");

        Assert.Equal([sum, subtract], claimed.Select(j => j.Id));
        Assert.Equal(JobStatuses.Pending, (await Store.GetJobAsync(multiply, Token))!.Status);
    }

    [Fact]
    public async Task Claim_EmptyQueue_ReturnsEmptyList()
    {
        var bot = await RegisterAsync("sum");

        Assert.Empty(await ClaimAsync(bot, 10, "sum"));
    }

    [Fact]
    public async Task Claim_UnknownBot_ReturnsNull()
    {
        await SubmitAsync("sum");

        Assert.Null(await Store.ClaimAsync("bot_unknown", ["sum"], 10, null, Token));
    }

    [Fact]
    public async Task Claim_RunAfterInTheFuture_WaitsUntilDue()
    {
        var id = await SubmitAsync("sum", runAfter: StartTime.AddSeconds(10));
        var bot = await RegisterAsync("sum");

        Time.Advance(TimeSpan.FromMilliseconds(9_999));
        var early = await ClaimAsync(bot, 10, "sum");
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var due = await ClaimAsync(bot, 10, "sum");

        Assert.Empty(early);
        Assert.Equal([id], due.Select(j => j.Id));
        Assert.Equal(StartTime.AddSeconds(10), (await Store.GetJobAsync(id, Token))!.RunAfter);
    }

    [Fact]
    public async Task Claim_LeaseExpired_RescuesJobAndRecordsLostAttempt()
    {
        var id = await SubmitAsync("sum");
        var first = await RegisterAsync("sum");
        var second = await RegisterAsync("sum");
        await ClaimAsync(first, 10, "sum");

        Time.Advance(LeaseTtl);
        var whileLive = await ClaimAsync(second, 10, "sum");
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var rescued = Assert.Single(await ClaimAsync(second, 10, "sum"));

        Assert.Empty(whileLive);
        var expiredAt = StartTime + LeaseTtl + TimeSpan.FromMilliseconds(1);
        Assert.Equal(id, rescued.Id);
        Assert.Equal(2, rescued.Attempt);
        Assert.Equal(expiredAt + LeaseTtl, rescued.LeaseUntil);
        Assert.Equal(
            [new StoredJobAttempt(1, first.BotId, first.InstanceId, StartTime, expiredAt, AttemptOutcomes.Lost, "lease expired")],
            rescued.PreviousAttempts);
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal(JobStatuses.Leased, job.Status);
        Assert.Equal(
            [
                new StoredJobAttempt(1, first.BotId, first.InstanceId, StartTime, expiredAt, AttemptOutcomes.Lost, "lease expired"),
                new StoredJobAttempt(2, second.BotId, second.InstanceId, expiredAt, null, null, null),
            ],
            job.Attempts);
    }

    [Fact]
    public async Task Sweep_ExpiredLeases_ReturnsThemToPendingOrDead()
    {
        var retryable = await SubmitAsync("sum", maxAttempts: 2);
        var lastChance = await SubmitAsync("sum", maxAttempts: 1);
        var bot = await RegisterAsync("sum");
        await ClaimAsync(bot, 10, "sum");

        var beforeExpiry = await Store.SweepExpiredLeasesAsync(Token);
        Time.Advance(LeaseTtl + TimeSpan.FromMilliseconds(1));
        var swept = await Store.SweepExpiredLeasesAsync(Token);
        var again = await Store.SweepExpiredLeasesAsync(Token);

        Assert.Equal(0, beforeExpiry);
        Assert.Equal(2, swept);
        Assert.Equal(0, again);
        var pending = (await Store.GetJobAsync(retryable, Token))!;
        var dead = (await Store.GetJobAsync(lastChance, Token))!;
        Assert.Equal((JobStatuses.Pending, "lease expired", (DateTimeOffset?)null, Now), (pending.Status, pending.Error, pending.LeaseUntil, pending.RunAfter));
        Assert.Equal((JobStatuses.Dead, "lease expired"), (dead.Status, dead.Error));
        Assert.Equal(AttemptOutcomes.Lost, Assert.Single(pending.Attempts).Outcome);
        Assert.Equal(Now, Assert.Single(dead.Attempts).Ended);
    }

    [Fact]
    public async Task Heartbeat_HeldJobs_ExtendsTheirLeasesOnly()
    {
        var id = await SubmitAsync("sum");
        var other = await SubmitAsync("sum");
        var bot = await RegisterAsync("sum");
        var rival = await RegisterAsync("sum");
        await ClaimAsync(bot, 1, "sum");
        await ClaimAsync(rival, 1, "sum");

        Time.Advance(TimeSpan.FromSeconds(30));
        var result = await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [id, other, "job_unknown", id], Token);
        var staleInstance = await Store.HeartbeatAsync(bot.BotId, Guid.NewGuid().ToString(), [id], Token);
        Time.Advance(TimeSpan.FromSeconds(31));
        // The rival's own lease ran out meanwhile; only that job comes back.
        var afterOriginalExpiry = await ClaimAsync(rival, 10, "sum");

        Assert.NotNull(result);
        Assert.Equal(StartTime.AddSeconds(30) + LeaseTtl, result.LeaseExtendedTo);
        Assert.Equal([id], result.Leases);
        Assert.Null(result.ChangedAssignment);
        Assert.Empty(staleInstance!.Leases);
        Assert.Equal([other], afterOriginalExpiry.Select(j => j.Id));
        Assert.Equal(StartTime.AddSeconds(30) + LeaseTtl, (await Store.GetJobAsync(id, Token))!.LeaseUntil);
        Assert.Null(await Store.HeartbeatAsync("bot_unknown", bot.InstanceId, [id], Token));
    }

    [Fact]
    public async Task Heartbeat_Batch_AnswersEachBotInInputOrder()
    {
        var first = await SubmitAsync("sum");
        var second = await SubmitAsync("sum");
        var third = await SubmitAsync("sum");
        var alice = await RegisterAsync("sum", "subtract");
        var bob = await RegisterAsync("sum");
        await ClaimAsync(alice, 2, "sum");
        await ClaimAsync(bob, 1, "sum");
        await Store.UpdateAssignmentAsync(alice.BotId, new AssignmentUpdate(["subtract"], null, null), Token);
        var staleInstance = Guid.NewGuid().ToString();

        Time.Advance(TimeSpan.FromSeconds(30));
        var results = await Store.HeartbeatAsync(
            [
                new BotHeartbeat(bob.BotId, bob.InstanceId, [third, first]),
                new BotHeartbeat("bot_unknown", bob.InstanceId, [third]),
                new BotHeartbeat(alice.BotId, alice.InstanceId, [second, third, first, second]),
                new BotHeartbeat(alice.BotId, staleInstance, [first]),
                new BotHeartbeat(alice.BotId, alice.InstanceId, []),
            ],
            Token);

        var leaseEnd = StartTime.AddSeconds(30) + LeaseTtl;
        Assert.Equal(5, results.Count);
        Assert.Null(results[1]);
        Assert.All([results[0], results[2], results[3], results[4]], r => Assert.Equal(leaseEnd, r!.LeaseExtendedTo));
        Assert.Equal([third], results[0]!.Leases);
        Assert.Equal([second, first], results[2]!.Leases);
        Assert.Empty(results[3]!.Leases);
        Assert.Empty(results[4]!.Leases);
        // The operator's change reaches the bot once, in its first heartbeat of the batch.
        Assert.Null(results[0]!.ChangedAssignment);
        AssertAssignment(["subtract"], 5, false, results[2]!.ChangedAssignment);
        Assert.Null(results[3]!.ChangedAssignment);
        Assert.Null(results[4]!.ChangedAssignment);
        foreach (var id in new[] { first, second, third })
        {
            Assert.Equal(leaseEnd, (await Store.GetJobAsync(id, Token))!.LeaseUntil);
        }

        Assert.Null((await Store.HeartbeatAsync(alice.BotId, alice.InstanceId, [], Token))!.ChangedAssignment);
    }

    [Fact]
    public async Task Heartbeat_StoresEachBotsHealth_TheLastInABatchWins_AndOneWithoutItClearsIt()
    {
        var alice = await RegisterAsync("sum");
        var bob = await RegisterAsync("sum");

        await Store.HeartbeatAsync(
            [
                new BotHeartbeat(alice.BotId, alice.InstanceId, [], Health: new BotHealthReport(5, "claim failed")),
                new BotHeartbeat(bob.BotId, bob.InstanceId, [], Health: new BotHealthReport(1, null)),
                new BotHeartbeat(alice.BotId, alice.InstanceId, [], Health: new BotHealthReport(2, "report failed")),
            ],
            Token);
        var first = (await Store.ListBotsAsync(Token)).ToDictionary(b => b.BotId, b => b.Health);
        await Store.HeartbeatAsync([new BotHeartbeat(alice.BotId, alice.InstanceId, [])], Token);
        var second = (await Store.ListBotsAsync(Token)).ToDictionary(b => b.BotId, b => b.Health);

        Assert.Equal(new BotHealthReport(2, "report failed"), first[alice.BotId]);
        Assert.Equal(new BotHealthReport(1, null), first[bob.BotId]);
        Assert.Null(second[alice.BotId]);
        Assert.Equal(new BotHealthReport(1, null), second[bob.BotId]);
    }

    [Fact]
    public async Task Complete_LeaseHolder_CompletesAndRepeatIsHarmless()
    {
        var id = await SubmitAsync("sum");
        var bot = await RegisterAsync("sum");
        await ClaimAsync(bot, 1, "sum");
        Time.Advance(TimeSpan.FromSeconds(5));

        var first = await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, """{"sum":100}"""));
        var repeat = await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, """{"sum":100}"""));
        var different = await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, """{"sum":7}"""));
        var failAfter = await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "boom"));

        Assert.Equal(
            [ReportResult.Accepted, ReportResult.Repeated, ReportResult.Conflict, ReportResult.Conflict],
            new[] { first, repeat, different, failAfter });
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Completed, """{"sum":100}""", (string?)null, (DateTimeOffset?)null, Now), (job.Status, job.ResultJson, job.Error, job.LeaseUntil, job.UpdatedAt));
        Assert.Equal([new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, Now, AttemptOutcomes.Completed, null)], job.Attempts);
    }

    [Fact]
    public async Task Report_UnknownJob_IsNotFound()
    {
        Assert.Equal(ReportResult.NotFound, await ReportOneAsync("bot_other", JobReportCommand.Complete("job_unknown", "i", null)));
        Assert.Equal(ReportResult.NotFound, await ReportOneAsync("bot_other", JobReportCommand.Fail("job_unknown", "i", "boom")));
    }

    [Fact]
    public async Task Report_NeverClaimedJob_IsConflict()
    {
        var id = await SubmitAsync("sum");

        Assert.Equal(ReportResult.Conflict, await ReportOneAsync("bot_other", JobReportCommand.Complete(id, Guid.NewGuid().ToString(), null)));
        Assert.Equal(ReportResult.Conflict, await ReportOneAsync("bot_other", JobReportCommand.Fail(id, Guid.NewGuid().ToString(), "boom")));
    }

    [Fact]
    public async Task Report_OtherInstanceOrLaterAttempt_IsConflict()
    {
        var id = await SubmitAsync("sum");
        var first = await RegisterAsync("sum");
        var second = await RegisterAsync("sum");
        await ClaimAsync(first, 1, "sum");

        var otherInstance = await ReportOneAsync(second.BotId, JobReportCommand.Complete(id, second.InstanceId, null));
        Time.Advance(LeaseTtl + TimeSpan.FromMilliseconds(1));
        await ClaimAsync(second, 1, "sum");
        var staleComplete = await ReportOneAsync(first.BotId, JobReportCommand.Complete(id, first.InstanceId, null));
        var staleFail = await ReportOneAsync(first.BotId, JobReportCommand.Fail(id, first.InstanceId, "late"));
        var holder = await ReportOneAsync(second.BotId, JobReportCommand.Complete(id, second.InstanceId, "{}"));

        Assert.Equal(
            [ReportResult.Conflict, ReportResult.Conflict, ReportResult.Conflict, ReportResult.Accepted],
            new[] { otherInstance, staleComplete, staleFail, holder });
        Assert.Equal(
            [AttemptOutcomes.Lost, AttemptOutcomes.Completed],
            (await Store.GetJobAsync(id, Token))!.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Report_AnotherBotWithTheHoldersInstanceId_IsConflictAndChangesNothing()
    {
        var id = await SubmitAsync("sum");
        var holder = await RegisterAsync("sum");
        var other = await RegisterAsync("sum");
        await ClaimAsync(holder, 1, "sum");

        var complete = await ReportOneAsync(other.BotId, JobReportCommand.Complete(id, holder.InstanceId, "{}"));
        var fail = await ReportOneAsync(other.BotId, JobReportCommand.Fail(id, holder.InstanceId, "boom"));

        Assert.Equal((ReportResult.Conflict, ReportResult.Conflict), (complete, fail));
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Leased, StartTime + LeaseTtl), (job.Status, job.LeaseUntil));
        Assert.Equal([new StoredJobAttempt(1, holder.BotId, holder.InstanceId, StartTime, null, null, null)], job.Attempts);
    }

    [Fact]
    public async Task ReportBatch_MixedItems_AnswersEachInInputOrderAndWritesExactRows()
    {
        var accepted = await SubmitAsync("sum");
        var repeat = await SubmitAsync("sum");
        var dying = await SubmitAsync("sum", maxAttempts: 1);
        var retried = await SubmitAsync("sum", maxAttempts: 5);
        var rivals = await SubmitAsync("sum");
        var bot = await RegisterAsync("sum");
        var rival = await RegisterAsync("sum");
        await ClaimAsync(bot, 4, "sum");
        await ClaimAsync(rival, 1, "sum");
        Time.Advance(TimeSpan.FromSeconds(2));
        var firstReport = Now;
        Assert.Equal(ReportResult.Accepted, await ReportOneAsync(bot.BotId, JobReportCommand.Complete(repeat, bot.InstanceId, """{"sum":3}""")));
        Time.Advance(TimeSpan.FromSeconds(3));

        var results = await Store.ReportAsync(
            [
                JobReportCommand.Complete(accepted, bot.InstanceId, """{"sum":1}"""),
                JobReportCommand.Complete(rivals, rival.InstanceId, """{"sum":2}"""),
                JobReportCommand.Fail("job_unknown", bot.InstanceId, "boom"),
                JobReportCommand.Complete(repeat, bot.InstanceId, """{"sum":3}"""),
                JobReportCommand.Fail(dying, bot.InstanceId, "fatal"),
                JobReportCommand.Fail(retried, bot.InstanceId, "flaky"),
            ],
            bot.BotId,
            Token);

        Assert.Equal([ReportResult.Accepted, ReportResult.Conflict, ReportResult.NotFound, ReportResult.Repeated, ReportResult.Accepted, ReportResult.Accepted], results);
        var rows = new Dictionary<string, StoredJob>();
        foreach (var id in new[] { accepted, repeat, dying, retried, rivals })
        {
            rows[id] = (await Store.GetJobAsync(id, Token))!;
        }

        Assert.Equal(
            (JobStatuses.Completed, """{"sum":1}""", (string?)null, StartTime, (DateTimeOffset?)null, Now, 1),
            (rows[accepted].Status, rows[accepted].ResultJson, rows[accepted].Error, rows[accepted].RunAfter, rows[accepted].LeaseUntil, rows[accepted].UpdatedAt, rows[accepted].Attempt));
        Assert.Equal([new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, Now, AttemptOutcomes.Completed, null)], rows[accepted].Attempts);
        Assert.Equal(
            (JobStatuses.Completed, """{"sum":3}""", (string?)null, (DateTimeOffset?)null, firstReport),
            (rows[repeat].Status, rows[repeat].ResultJson, rows[repeat].Error, rows[repeat].LeaseUntil, rows[repeat].UpdatedAt));
        Assert.Equal([new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, firstReport, AttemptOutcomes.Completed, null)], rows[repeat].Attempts);
        Assert.Equal(
            (JobStatuses.Dead, (string?)null, "fatal", Now, (DateTimeOffset?)null, Now),
            (rows[dying].Status, rows[dying].ResultJson, rows[dying].Error, rows[dying].RunAfter, rows[dying].LeaseUntil, rows[dying].UpdatedAt));
        Assert.Equal([new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, Now, AttemptOutcomes.Failed, "fatal")], rows[dying].Attempts);
        // First failure: the base backoff (1 s, no jitter in these tests).
        Assert.Equal(
            (JobStatuses.Pending, (string?)null, "flaky", Now.AddSeconds(1), (DateTimeOffset?)null, Now, 1),
            (rows[retried].Status, rows[retried].ResultJson, rows[retried].Error, rows[retried].RunAfter, rows[retried].LeaseUntil, rows[retried].UpdatedAt, rows[retried].Attempt));
        Assert.Equal([new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, Now, AttemptOutcomes.Failed, "flaky")], rows[retried].Attempts);
        Assert.Equal(
            (JobStatuses.Leased, (string?)null, StartTime + LeaseTtl, StartTime),
            (rows[rivals].Status, rows[rivals].ResultJson, rows[rivals].LeaseUntil, rows[rivals].UpdatedAt));
        Assert.Equal([new StoredJobAttempt(1, rival.BotId, rival.InstanceId, StartTime, null, null, null)], rows[rivals].Attempts);
        Assert.Equal(new StatusCounts(1, 1, 2, 1), (await Store.GetStatsAsync(Token)).Jobs);
    }

    [Fact]
    public async Task ReportBatch_SameJobTwice_BehavesExactlyAsTwoReportsInARow()
    {
        // Pairs of reports on one job: once in a single batch, once as two calls, on twin jobs.
        (JobReportCommand First, JobReportCommand Second)[] Pairs(string[] ids, string instance) =>
        [
            (JobReportCommand.Complete(ids[0], instance, """{"sum":1}"""), JobReportCommand.Complete(ids[0], instance, """{"sum":1}""")),
            (JobReportCommand.Complete(ids[1], instance, """{"sum":1}"""), JobReportCommand.Complete(ids[1], instance, """{"sum":2}""")),
            (JobReportCommand.Fail(ids[2], instance, "boom"), JobReportCommand.Fail(ids[2], instance, "boom")),
            (JobReportCommand.Fail(ids[3], instance, "boom"), JobReportCommand.Complete(ids[3], instance, "{}")),
            (JobReportCommand.Complete(ids[4], instance, "{}"), JobReportCommand.Fail(ids[4], instance, "late")),
            (JobReportCommand.Fail(ids[5], instance, "one"), JobReportCommand.Fail(ids[5], instance, "two")),
        ];
        var batched = new string[6];
        var sequential = new string[6];
        for (var i = 0; i < 6; i++)
        {
            batched[i] = await SubmitAsync("batched");
            sequential[i] = await SubmitAsync("sequential");
        }

        var bot = await RegisterAsync("batched", "sequential");
        await ClaimAsync(bot, 6, "batched");
        await ClaimAsync(bot, 6, "sequential");
        Time.Advance(TimeSpan.FromSeconds(1));

        var inOneBatch = await Store.ReportAsync(Pairs(batched, bot.InstanceId).SelectMany(p => new[] { p.First, p.Second }).ToList(), bot.BotId, Token);
        var oneByOne = new List<ReportResult>();
        foreach (var (first, second) in Pairs(sequential, bot.InstanceId))
        {
            oneByOne.Add(await ReportOneAsync(bot.BotId, first));
            oneByOne.Add(await ReportOneAsync(bot.BotId, second));
        }

        Assert.Equal(
            [
                ReportResult.Accepted, ReportResult.Repeated,
                ReportResult.Accepted, ReportResult.Conflict,
                ReportResult.Accepted, ReportResult.Repeated,
                ReportResult.Accepted, ReportResult.Conflict,
                ReportResult.Accepted, ReportResult.Conflict,
                ReportResult.Accepted, ReportResult.Conflict,
            ],
            inOneBatch);
        Assert.Equal(oneByOne, inOneBatch);
        for (var i = 0; i < 6; i++)
        {
            var fromBatch = (await Store.GetJobAsync(batched[i], Token))!;
            var fromCalls = (await Store.GetJobAsync(sequential[i], Token))!;
            Assert.Equal(
                (fromCalls.Status, fromCalls.ResultJson, fromCalls.Error, fromCalls.RunAfter, fromCalls.LeaseUntil, fromCalls.UpdatedAt),
                (fromBatch.Status, fromBatch.ResultJson, fromBatch.Error, fromBatch.RunAfter, fromBatch.LeaseUntil, fromBatch.UpdatedAt));
            Assert.Equal(
                fromCalls.Attempts.Select(a => (a.Attempt, a.BotId, a.InstanceId, a.Started, a.Ended, a.Outcome, a.Error)),
                fromBatch.Attempts.Select(a => (a.Attempt, a.BotId, a.InstanceId, a.Started, a.Ended, a.Outcome, a.Error)));
        }
    }

    [Fact]
    public async Task Complete_LeaseExpiredButNotReclaimed_IsAccepted()
    {
        var id = await SubmitAsync("sum");
        var bot = await RegisterAsync("sum");
        await ClaimAsync(bot, 1, "sum");
        Time.Advance(LeaseTtl + TimeSpan.FromMilliseconds(1));
        await Store.SweepExpiredLeasesAsync(Token);
        var lateAt = Now;

        var result = await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, "{}"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var repeat = await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, "{}"));
        var different = await ReportOneAsync(bot.BotId, JobReportCommand.Complete(id, bot.InstanceId, "[]"));

        Assert.Equal([ReportResult.Accepted, ReportResult.Repeated, ReportResult.Conflict], new[] { result, repeat, different });
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal(JobStatuses.Completed, job.Status);
        // The sweep's "lost" row becomes the completion: one attempt, not a lost one and a completed one.
        Assert.Equal([new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, lateAt, AttemptOutcomes.Completed, null)], job.Attempts);
        Assert.Empty(await ClaimAsync(bot, 1, "sum"));
    }

    [Fact]
    public async Task Complete_AfterAFailedAttempt_HistoryHasBothAndEveryRepeatIsHarmless()
    {
        var id = await SubmitAsync("sum", maxAttempts: 3);
        var bot = await RegisterAsync("sum");
        var other = await RegisterAsync("sum");
        await ClaimAsync(bot, 1, "sum");
        Time.Advance(TimeSpan.FromSeconds(1));
        var failed = await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "flaky"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var retryStart = Now;
        Assert.Equal(2, Assert.Single(await ClaimAsync(other, 1, "sum")).Attempt);
        Time.Advance(TimeSpan.FromSeconds(3));
        var completedAt = Now;

        var completed = await ReportOneAsync(other.BotId, JobReportCommand.Complete(id, other.InstanceId, """{"sum":3}"""));
        Time.Advance(TimeSpan.FromSeconds(1));
        var repeats = await Store.ReportAsync(
            [
                JobReportCommand.Complete(id, other.InstanceId, """{"sum":3}"""),
                JobReportCommand.Fail(id, bot.InstanceId, "flaky"),
                JobReportCommand.Complete(id, bot.InstanceId, """{"sum":3}"""),
                JobReportCommand.Fail(id, other.InstanceId, "late"),
            ],
            other.BotId,
            Token);
        var failRepeatFromFirstBot = await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "flaky"));

        Assert.Equal((ReportResult.Accepted, ReportResult.Accepted, ReportResult.Repeated), (failed, completed, failRepeatFromFirstBot));
        Assert.Equal([ReportResult.Repeated, ReportResult.Conflict, ReportResult.Conflict, ReportResult.Conflict], repeats);
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Completed, 2, """{"sum":3}""", completedAt), (job.Status, job.Attempt, job.ResultJson, job.UpdatedAt));
        Assert.Equal(
            [
                new StoredJobAttempt(1, bot.BotId, bot.InstanceId, StartTime, StartTime.AddSeconds(1), AttemptOutcomes.Failed, "flaky"),
                new StoredJobAttempt(2, other.BotId, other.InstanceId, retryStart, completedAt, AttemptOutcomes.Completed, null),
            ],
            job.Attempts);
    }

    [Fact]
    public async Task Fail_UntilMaxAttempts_BacksOffThenDiesWithFullHistory()
    {
        var id = await SubmitAsync("sum", maxAttempts: 3);
        var bot = await RegisterAsync("sum");
        var claims = new List<ClaimedJobRecord>();
        var results = new List<ReportResult>();
        var backoffs = new List<TimeSpan>();
        var attemptStarts = new List<DateTimeOffset>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            attemptStarts.Add(Now);
            claims.Add(Assert.Single(await ClaimAsync(bot, 1, "sum")));
            Time.Advance(TimeSpan.FromSeconds(1));
            var failedAt = Now;
            results.Add(await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, $"error {attempt}")));
            results.Add(await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, $"error {attempt}")));
            var job = (await Store.GetJobAsync(id, Token))!;
            backoffs.Add(job.RunAfter - failedAt);
            if (attempt < 3)
            {
                // Not a millisecond early.
                Time.Advance(job.RunAfter - failedAt - TimeSpan.FromMilliseconds(1));
                Assert.Empty(await ClaimAsync(bot, 1, "sum"));
                Time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        Assert.All(results, (r, i) => Assert.Equal(i % 2 == 0 ? ReportResult.Accepted : ReportResult.Repeated, r));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.Zero], backoffs);
        Assert.Equal([1, 2, 3], claims.Select(c => c.Attempt));
        Assert.Equal([0, 1, 2], claims.Select(c => c.PreviousAttempts.Count));
        Assert.Equal(["error 1", "error 2"], claims[2].PreviousAttempts.Select(a => a.Error));
        var dead = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Dead, 3, "error 3"), (dead.Status, dead.Attempt, dead.Error));
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => new StoredJobAttempt(
                i + 1, bot.BotId, bot.InstanceId, attemptStarts[i], attemptStarts[i] + TimeSpan.FromSeconds(1), AttemptOutcomes.Failed, $"error {i + 1}")),
            dead.Attempts);
        Assert.Empty(await ClaimAsync(bot, 1, "sum"));
        Assert.Equal(ReportResult.Repeated, await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "error 3")));
        Assert.Equal(ReportResult.Conflict, await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "another error")));
    }

    [Fact]
    public async Task Fail_WithRetryAfter_UsesTheWishCappedAtTheMaximum()
    {
        var wished = await SubmitAsync("sum");
        var capped = await SubmitAsync("sum");
        var bot = await RegisterAsync("sum");
        await ClaimAsync(bot, 2, "sum");

        await ReportOneAsync(bot.BotId, JobReportCommand.Fail(wished, bot.InstanceId, "busy", TimeSpan.FromMilliseconds(500)));
        await ReportOneAsync(bot.BotId, JobReportCommand.Fail(capped, bot.InstanceId, "busy", TimeSpan.FromHours(1)));

        Assert.Equal(StartTime.AddMilliseconds(500), (await Store.GetJobAsync(wished, Token))!.RunAfter);
        Assert.Equal(StartTime + Options.RetryBackoffMax, (await Store.GetJobAsync(capped, Token))!.RunAfter);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKey_ReturnsTheExistingJob()
    {
        var first = await SubmitAsync("sum", key: "order-1");
        var again = await SubmitAsync("sum", key: "order-1", payload: """{"n":2}""");
        var batch = await Store.SubmitAsync([NewJob("sum", key: "order-2"), NewJob("sum", key: "order-1"), NewJob("sum", key: "order-2"), NewJob("sum")], Token);

        Assert.Equal(first, again);
        Assert.Equal(4, batch.Count);
        Assert.Equal(first, batch[1]);
        Assert.Equal(batch[0], batch[2]);
        Assert.Equal(3, new[] { first, batch[0], batch[3] }.Distinct().Count());
        Assert.Equal("""{"n":0}""", (await Store.GetJobAsync(first, Token))!.PayloadJson);
        Assert.Equal(new StatusCounts(3, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
    }

    [Fact]
    public async Task Submit_ConcurrentSameIdempotencyKey_CreatesOneJob()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => Store.SubmitAsync([NewJob("sum", key: "shared"), NewJob("sum", key: $"own-{i}")], Token),
            Token)));

        Assert.Single(results.Select(r => r[0]).Distinct());
        Assert.Equal(16, results.Select(r => r[1]).Distinct().Count());
        Assert.Equal(new StatusCounts(17, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
    }

    [Fact]
    public async Task Submit_BatchOfThousand_KeepsInputOrderAndFields()
    {
        var jobs = Enumerable.Range(0, 1_000)
            .Select(i => NewJob(
                i % 2 == 0 ? "even" : "odd",
                priority: (JobPriority)(i % 3),
                maxAttempts: 1 + (i % 7),
                runAfter: i % 10 == 0 ? StartTime.AddMinutes(1) : null,
                payload: $$"""{"n":{{i}}}""",
                key: i % 100 == 0 ? $"k-{i}" : null))
            .ToList();

        var ids = await Store.SubmitAsync(jobs, Token);
        var stored = new List<StoredJob>();
        long? after = null;
        do
        {
            var page = await Store.ListJobsAsync(new JobQuery(null, null, 300, after), Token);
            stored.AddRange(page.Jobs);
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(1_000, ids.Distinct().Count());
        Assert.Equal(ids, stored.Select(j => j.Id));
        Assert.All(stored, (job, i) =>
        {
            Assert.Equal(jobs[i].Op, job.Op);
            Assert.Equal(jobs[i].PayloadJson, job.PayloadJson);
            Assert.Equal(jobs[i].Priority, job.Priority);
            Assert.Equal(jobs[i].MaxAttempts, job.MaxAttempts);
            Assert.Equal(jobs[i].RunAfter ?? StartTime, job.RunAfter);
            Assert.Equal((JobStatuses.Pending, 0, StartTime, StartTime), (job.Status, job.Attempt, job.CreatedAt, job.UpdatedAt));
            Assert.Empty(job.Attempts);
        });
        Assert.Equal(ids.Where((_, i) => i % 100 == 0), await Store.SubmitAsync(jobs.Where(j => j.IdempotencyKey is not null).ToList(), Token));
        Assert.Equal(new StatusCounts(1_000, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
    }

    [Fact]
    public async Task ListJobs_FiltersAndPages()
    {
        var sums = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sums.Add(await SubmitAsync("sum"));
        }

        await SubmitAsync("subtract");
        var bot = await RegisterAsync("sum");
        await ClaimAsync(bot, 2, "sum");

        var page1 = await Store.ListJobsAsync(new JobQuery(JobStatuses.Pending, "sum", 2, null), Token);
        var page2 = await Store.ListJobsAsync(new JobQuery(JobStatuses.Pending, "sum", 2, page1.Next), Token);
        var leased = await Store.ListJobsAsync(new JobQuery(JobStatuses.Leased, null, 10, null), Token);

        Assert.Equal(sums[2..4], page1.Jobs.Select(j => j.Id));
        Assert.NotNull(page1.Next);
        Assert.Equal([sums[4]], page2.Jobs.Select(j => j.Id));
        Assert.Null(page2.Next);
        Assert.Equal(sums[..2], leased.Jobs.Select(j => j.Id));
        Assert.All(leased.Jobs, j => Assert.Equal(bot.BotId, Assert.Single(j.Attempts).BotId));
        Assert.Null(await Store.GetJobAsync("job_unknown", Token));
    }

    [Fact]
    public async Task Register_SameBotKey_KeepsBotIdAndOperatorAssignment()
    {
        var registration = Registration(["sum", "subtract"], "machine-1");
        var first = await Store.RegisterBotAsync(registration, Token);
        var updated = await Store.UpdateAssignmentAsync(first.BotId, new AssignmentUpdate(["sum"], 2, null), Token);
        Time.Advance(TimeSpan.FromSeconds(1));
        var again = await Store.RegisterBotAsync(registration with { InstanceId = Guid.NewGuid().ToString(), Capabilities = ["sum", "multiply"] }, Token);
        var heartbeat = await Store.HeartbeatAsync(again.BotId, "any", [], Token);

        Assert.True(first.Created);
        Assert.StartsWith("bot_", first.BotId, StringComparison.Ordinal);
        AssertAssignment(["sum", "subtract"], 5, false, first.Assignment);
        AssertAssignment(["sum"], 2, false, updated);
        Assert.False(again.Created);
        Assert.Equal(first.BotId, again.BotId);
        AssertAssignment(["sum"], 2, false, again.Assignment);
        Assert.Null(heartbeat!.ChangedAssignment);
    }

    [Fact]
    public async Task UpdateAssignment_DeliveredOnceOnNextHeartbeat()
    {
        var bot = await RegisterAsync("sum", "subtract");

        var before = await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [], Token);
        var state = await Store.UpdateAssignmentAsync(bot.BotId, new AssignmentUpdate(["subtract"], 3, null), Token);
        var delivered = await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [], Token);
        var after = await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [], Token);
        var paused = await Store.UpdateAssignmentAsync(bot.BotId, new AssignmentUpdate(null, null, true), Token);
        var deliveredPause = await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [], Token);

        Assert.Null(before!.ChangedAssignment);
        AssertAssignment(["subtract"], 3, false, state);
        AssertAssignment(["subtract"], 3, false, delivered!.ChangedAssignment);
        Assert.Null(after!.ChangedAssignment);
        AssertAssignment(["subtract"], 3, true, paused);
        AssertAssignment(["subtract"], 3, true, deliveredPause!.ChangedAssignment);
        Assert.Null(await Store.UpdateAssignmentAsync("bot_unknown", new AssignmentUpdate(null, null, true), Token));
    }

    [Fact]
    public async Task Claim_LimitedToAssignmentAndNothingWhilePaused()
    {
        var sum = await SubmitAsync("sum");
        var subtract = await SubmitAsync("subtract");
        var bot = await RegisterAsync("sum", "subtract");
        var unassigned = await RegisterAsync("divide");

        await Store.UpdateAssignmentAsync(bot.BotId, new AssignmentUpdate(["subtract"], null, true), Token);
        var whilePaused = await ClaimAsync(bot, 10, "sum", "subtract");
        await Store.UpdateAssignmentAsync(bot.BotId, new AssignmentUpdate(null, null, false), Token);
        var resumed = await ClaimAsync(bot, 10, "sum", "subtract");
        var outsideCapabilities = await ClaimAsync(unassigned, 10, "sum");

        Assert.Empty(whilePaused);
        Assert.Equal([subtract], resumed.Select(j => j.Id));
        Assert.Empty(outsideCapabilities);
        Assert.Equal(JobStatuses.Pending, (await Store.GetJobAsync(sum, Token))!.Status);
    }

    [Fact]
    public async Task GetBotCredentials_ReturnsCurrentTokenHash()
    {
        var registration = Registration(["sum"], "machine-2") with { AccessTokenHash = "hash-1", TokenExpiresAt = StartTime.AddHours(1) };
        var bot = await Store.RegisterBotAsync(registration, Token);
        var first = await Store.GetBotCredentialsAsync([bot.BotId], Token);
        await Store.RegisterBotAsync(registration with { AccessTokenHash = "hash-2", TokenExpiresAt = StartTime.AddHours(2) }, Token);
        var second = await Store.GetBotCredentialsAsync([bot.BotId], Token);

        Assert.Equal(new BotCredentials(bot.BotId, "hash-1", StartTime.AddHours(1)), Assert.Single(first).Value);
        Assert.Equal(new BotCredentials(bot.BotId, "hash-2", StartTime.AddHours(2)), Assert.Single(second).Value);
        Assert.Empty(await Store.GetBotCredentialsAsync(["bot_unknown"], Token));
        Assert.Empty(await Store.GetBotCredentialsAsync([], Token));
    }

    [Fact]
    public async Task GetBotCredentials_ManyBots_AnswersEachKnownOneAndLeavesOutTheUnknown()
    {
        var one = await Store.RegisterBotAsync(Registration(["sum"], "machine-a") with { AccessTokenHash = "hash-a", TokenExpiresAt = StartTime.AddHours(1) }, Token);
        var two = await Store.RegisterBotAsync(Registration(["sum"], "machine-b") with { AccessTokenHash = "hash-b", TokenExpiresAt = StartTime.AddHours(3) }, Token);

        var found = await Store.GetBotCredentialsAsync([two.BotId, "bot_unknown", one.BotId], Token);

        Assert.Equal(2, found.Count);
        Assert.Equal(new BotCredentials(one.BotId, "hash-a", StartTime.AddHours(1)), found[one.BotId]);
        Assert.Equal(new BotCredentials(two.BotId, "hash-b", StartTime.AddHours(3)), found[two.BotId]);
    }

    [Fact]
    public async Task GetStats_CountsJobsByStatusAndOpAndActiveBots()
    {
        var bot = await RegisterAsync("sum", "subtract");
        var idle = await RegisterAsync("sum");
        var completed = await SubmitAsync("sum");
        var dead = await SubmitAsync("sum", maxAttempts: 1);
        await SubmitAsync("sum", JobPriority.Low);
        await SubmitAsync("subtract");
        await SubmitAsync("subtract");
        await ClaimAsync(bot, 2, "sum");
        await ClaimAsync(bot, 1, "subtract");
        await ReportOneAsync(bot.BotId, JobReportCommand.Complete(completed, bot.InstanceId, "{}"));
        await ReportOneAsync(bot.BotId, JobReportCommand.Fail(dead, bot.InstanceId, "boom"));

        var fresh = await Store.GetStatsAsync(Token);
        Time.Advance(TimeSpan.FromSeconds(31));
        await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [], Token);
        var later = await Store.GetStatsAsync(Token);

        Assert.Equal(new StatusCounts(2, 1, 1, 1), fresh.Jobs);
        Assert.Equal(["subtract", "sum"], fresh.ByOp.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new StatusCounts(1, 0, 1, 1), fresh.ByOp["sum"]);
        Assert.Equal(new StatusCounts(1, 1, 0, 0), fresh.ByOp["subtract"]);
        Assert.Equal((2L, 2L), (fresh.RegisteredBots, fresh.ActiveBots));
        Assert.Equal((2L, 1L), (later.RegisteredBots, later.ActiveBots));
        _ = idle;
    }

    [Fact]
    public async Task GetStats_AfterRetriesExpiredLeasesAndFolds_CountsEveryJobWhereItIs()
    {
        var bot = await RegisterAsync("sum", "subtract");
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await SubmitAsync(i % 2 == 0 ? "sum" : "subtract", maxAttempts: i < 2 ? 1 : 3));
        }

        Assert.Equal(6, (await ClaimAsync(bot, 6, "sum", "subtract")).Count);
        await ReportOneAsync(bot.BotId, JobReportCommand.Complete(ids[2], bot.InstanceId, "{}"));
        await ReportOneAsync(bot.BotId, JobReportCommand.Fail(ids[3], bot.InstanceId, "retry me"));
        await FoldStatusCountsAsync();
        Time.Advance(TimeSpan.FromSeconds(30));
        await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [ids[4]], Token);
        Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(3, await Store.SweepExpiredLeasesAsync(Token));
        var beforeFold = await Store.GetStatsAsync(Token);
        await FoldStatusCountsAsync();
        await FoldStatusCountsAsync();
        var afterFolds = await Store.GetStatsAsync(Token);

        // sum: 0 and 2 dead and completed, 4 still leased; subtract: 1 dead, 3 (failed) and 5 (expired) pending.
        foreach (var stats in new[] { beforeFold, afterFolds })
        {
            Assert.Equal(new StatusCounts(0, 1, 1, 1), stats.ByOp["sum"]);
            Assert.Equal(new StatusCounts(2, 0, 0, 1), stats.ByOp["subtract"]);
            Assert.Equal(new StatusCounts(2, 1, 1, 2), stats.Jobs);
        }

        var statuses = new List<string>();
        foreach (var id in ids)
        {
            statuses.Add((await Store.GetJobAsync(id, Token))!.Status);
        }

        long Count(string status) => statuses.Count(s => s == status);
        Assert.Equal(
            new StatusCounts(Count(JobStatuses.Pending), Count(JobStatuses.Leased), Count(JobStatuses.Completed), Count(JobStatuses.Dead)),
            afterFolds.Jobs);
    }

    /// <summary>Whatever the store does from time to time to keep its status counts cheap to read.</summary>
    protected virtual Task FoldStatusCountsAsync() => Task.CompletedTask;

    [Fact]
    public async Task Claim_ConcurrentClaimersOverTenThousandJobs_LeaseEachOnceAndCompleteEachOnce()
    {
        const int JobCount = 10_000;
        for (var batch = 0; batch < JobCount / 1_000; batch++)
        {
            await Store.SubmitAsync(Enumerable.Range(batch * 1_000, 1_000).Select(i => NewJob("race", payload: $$"""{"n":{{i}}}""")).ToList(), Token);
        }

        var bots = new List<Bot>();
        for (var i = 0; i < ConcurrentClaimers; i++)
        {
            bots.Add(await RegisterAsync("race"));
        }

        var live = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var claims = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var doubleLeases = new ConcurrentBag<string>();
        var reports = new ConcurrentBag<ReportResult>();
        await Task.WhenAll(bots.Select(bot => Task.Run(async () =>
        {
            while (true)
            {
                var jobs = await ClaimAsync(bot, 25, "race");
                if (jobs.Count == 0)
                {
                    return;
                }

                foreach (var job in jobs)
                {
                    claims.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                    if (!live.TryAdd(job.Id, bot.BotId))
                    {
                        doubleLeases.Add(job.Id);
                    }
                }

                // Half the claims report in one batch, half job by job: both paths race against the claimers.
                if (jobs.Count % 2 == 0)
                {
                    foreach (var result in await Store.ReportAsync(jobs.Select(j => JobReportCommand.Complete(j.Id, bot.InstanceId, "{}")).ToList(), bot.BotId, Token))
                    {
                        reports.Add(result);
                    }
                }
                else
                {
                    foreach (var job in jobs)
                    {
                        reports.Add(await ReportOneAsync(bot.BotId, JobReportCommand.Complete(job.Id, bot.InstanceId, "{}")));
                    }
                }

                foreach (var job in jobs)
                {
                    live.TryRemove(job.Id, out _);
                }
            }
        }, Token)));

        Assert.Empty(doubleLeases);
        Assert.Equal(JobCount, claims.Count);
        Assert.All(claims.Values, n => Assert.Equal(1, n));
        Assert.Equal(JobCount, reports.Count);
        Assert.All(reports, r => Assert.Equal(ReportResult.Accepted, r));
        Assert.Equal(new StatusCounts(0, 0, JobCount, 0), (await Store.GetStatsAsync(Token)).ByOp["race"]);
        var completed = 0;
        long? after = null;
        do
        {
            var page = await Store.ListJobsAsync(new JobQuery(null, "race", 1_000, after), Token);
            foreach (var job in page.Jobs)
            {
                var attempt = Assert.Single(job.Attempts);
                Assert.Equal((JobStatuses.Completed, AttemptOutcomes.Completed), (job.Status, attempt.Outcome));
                completed++;
            }

            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(JobCount, completed);
    }

    protected static BotRegistration Registration(IReadOnlyList<string> capabilities, string? botKey = null) =>
        new(
            botKey ?? "key-" + Guid.NewGuid().ToString("N"),
            Guid.NewGuid().ToString(),
            "1.2.3",
            capabilities,
            5,
            "token-" + Guid.NewGuid().ToString("N"),
            "refresh-" + Guid.NewGuid().ToString("N"),
            StartTime.AddHours(1),
            """{"cpu_cores":4,"mem_mb":1024}""",
            null);

    protected async Task<Bot> RegisterAsync(params string[] capabilities)
    {
        var registration = Registration(capabilities);
        var result = await Store.RegisterBotAsync(registration, Token);
        return new Bot(result.BotId, registration.InstanceId);
    }

    /// <summary>One report through the batch path, as the single complete/fail endpoints send it.</summary>
    protected async Task<ReportResult> ReportOneAsync(string botId, JobReportCommand report) =>
        Assert.Single(await Store.ReportAsync([report], botId, Token));

    protected async Task<IReadOnlyList<ClaimedJobRecord>> ClaimAsync(Bot bot, int limit, params string[] operations) =>
        await Store.ClaimAsync(bot.BotId, operations, limit, null, Token) ?? throw new InvalidOperationException($"{bot.BotId} is unknown");

    protected async Task<string> SubmitAsync(
        string op,
        JobPriority priority = JobPriority.Normal,
        int maxAttempts = 5,
        DateTimeOffset? runAfter = null,
        string? key = null,
        string payload = """{"n":0}""") =>
        (await Store.SubmitAsync([NewJob(op, priority, maxAttempts, runAfter, key, payload)], Token)).Single();

    protected static NewJob NewJob(
        string op,
        JobPriority priority = JobPriority.Normal,
        int maxAttempts = 5,
        DateTimeOffset? runAfter = null,
        string? key = null,
        string payload = """{"n":0}""") =>
        new(op, payload, priority, maxAttempts, runAfter, key);

    private static void AssertAssignment(string[] operations, int maxConcurrency, bool paused, BotAssignmentState? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(operations, actual.Operations);
        Assert.Equal((maxConcurrency, paused), (actual.MaxConcurrency, actual.Paused));
    }

    protected sealed record Bot(string BotId, string InstanceId);
}
