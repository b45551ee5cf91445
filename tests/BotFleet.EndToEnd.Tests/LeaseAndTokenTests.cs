using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.EndToEnd.Tests;

/// <summary>Minutes of leases and token lifetimes, on one fake clock shared by the real server and a bot.</summary>
public sealed class LeaseAndTokenTests
{
    private static readonly Dictionary<string, string?> ShortLeases = new()
    {
        ["JobServer:JobLeaseTtl"] = "00:01:00",
        ["JobServer:HeartbeatInterval"] = "00:00:20",
        ["JobServer:LeaseSweepInterval"] = "00:00:05",
    };

    [Fact]
    public async Task LongJob_KeepsItsLeaseThroughHeartbeats_ForFiveMinutesOfA60SecondLease()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), settings: ShortLeases, time: time);
        var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 300_000 })), ct)).Single();
        await using var bot = new DirectBot(server.Address, time, new BotDefinition { Operations = ["sleep"], MaxConcurrency = 1 });

        var claim = await bot.Scheduler.TickAsync(ct);
        await Eventually.ValueAsync(() => Task.FromResult(bot.Scheduler.RunningJobs.Count), n => n == 1, "the job running", TimeSpan.FromSeconds(10));
        for (var second = 20; second <= 300; second += 20)
        {
            time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(HeartbeatOutcome.Delivered, await bot.Scheduler.HeartbeatAsync(ct));
            var leased = await server.Producer.GetJobAsync(id, ct);
            Assert.True(leased!.Status == JobStatuses.Leased || second == 300, $"lease lost after {second} s: {leased.Status}");
        }

        var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the job completed", TimeSpan.FromSeconds(10));

        Assert.Equal(TickOutcome.ClaimedFullBatch, claim.Outcome);
        Assert.Equal(("completed", """{"slept_ms":300000}"""), (Assert.Single(job!.Attempts).Outcome, job.Result!.Value.GetRawText()));
    }

    [Fact]
    public async Task WithoutHeartbeats_TheSameJobLosesItsLease_SoTheHeartbeatsAboveAreWhatKeepsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), settings: ShortLeases, time: time);
        var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 300_000 })), ct)).Single();
        await using var bot = new DirectBot(server.Address, time, new BotDefinition { Operations = ["sleep"], MaxConcurrency = 1 });

        await bot.Scheduler.TickAsync(ct);
        await Eventually.ValueAsync(() => Task.FromResult(bot.Scheduler.RunningJobs.Count), n => n == 1, "the job running", TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(70));

        var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Pending, "the lease expired", TimeSpan.FromSeconds(10));
        Assert.Equal("lost", Assert.Single(job!.Attempts).Outcome);
    }

    [Fact]
    public async Task LeaseLostWhileTheJobRan_TheLateReportIsAnswered409ByTheRealServer_AndTheBotDropsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), settings: ShortLeases, time: time);
        var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 200_000 })), ct)).Single();
        await using var late = new DirectBot(server.Address, time, new BotDefinition { Operations = ["sleep"], MaxConcurrency = 1 }, botKey: "late-bot");
        await using var rescuer = new DirectBot(server.Address, time, new BotDefinition { Operations = ["sleep"], MaxConcurrency = 1 }, botKey: "rescuer-bot");

        // The first bot runs the job without heartbeats: its 60 s lease runs out, and the other bot takes the job.
        await late.Scheduler.TickAsync(ct);
        await Eventually.ValueAsync(() => Task.FromResult(late.Scheduler.RunningJobs.Count), n => n == 1, "the job running", TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(70));
        await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Pending, "the lease expired", TimeSpan.FromSeconds(10));
        await rescuer.Scheduler.TickAsync(ct);
        Assert.Equal(id, Assert.Single(rescuer.Scheduler.RunningJobs).JobId);

        // The first bot's sleep ends (200 s after it began) while the second bot's heartbeats keep its lease. The clock
        // never moves while a report is on the wire: on this fake clock that would time the call out.
        for (var elapsed = 70; elapsed < 200; elapsed += 20)
        {
            Assert.NotEqual(HeartbeatOutcome.Failed, await rescuer.Scheduler.HeartbeatAsync(ct));
            time.Advance(TimeSpan.FromSeconds(20));
        }

        var lateStatus = await Eventually.ValueAsync(
            () => Task.FromResult(late.Scheduler.GetStatus()), s => s.JobsCompleted == 1 && s.InFlight == 0, "the late bot's report settled", TimeSpan.FromSeconds(10));
        // The second bot took the job at 70 s: its sleep ends at 270 s, where the clock stops.
        for (var elapsed = 210; elapsed < 270; elapsed += 20)
        {
            Assert.NotEqual(HeartbeatOutcome.Failed, await rescuer.Scheduler.HeartbeatAsync(ct));
            time.Advance(TimeSpan.FromSeconds(20));
        }

        var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the job completed", TimeSpan.FromSeconds(10));

        Assert.Equal([("lost", late.Scheduler.InstanceId), ("completed", rescuer.Scheduler.InstanceId)], job!.Attempts.Select(a => (a.Outcome, a.InstanceId)));
        Assert.Equal("""{"slept_ms":200000}""", job.Result!.Value.GetRawText());
        // The late complete was refused (409: a later attempt holds the job) and dropped: counted, not kept, not retried.
        Assert.Equal((1L, 0), (lateStatus.ReportsDropped, lateStatus.OutboxSize));
        Assert.Empty(late.Scheduler.PendingReports);
    }

    [Fact]
    public async Task ExpiredToken_Answers401_TheBotRegistersAgainAndCarriesOnWithItsResults()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LoopbackJobServer.StartAsync(
            temp.File("jobs.db"), settings: new Dictionary<string, string?> { ["JobServer:TokenLifetime"] = "00:01:00", ["JobServer:JobLeaseTtl"] = "00:10:00" }, time: time);
        await using var bot = new DirectBot(server.Address, time, new BotDefinition { Operations = ["sum"], MaxConcurrency = 2 });
        Assert.Equal(TickOutcome.Idle, (await bot.Scheduler.TickAsync(ct)).Outcome);
        var firstToken = bot.Scheduler.Session!.AccessToken;
        var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = 20, b = 22 })), ct)).Single();

        time.Advance(TimeSpan.FromSeconds(61));
        var refused = await bot.Scheduler.TickAsync(ct);
        var resumed = await bot.Scheduler.TickAsync(ct);
        var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the job completed", TimeSpan.FromSeconds(10));

        Assert.Equal(TickOutcome.ClaimFailed, refused.Outcome);
        Assert.Equal(TickOutcome.Claimed, resumed.Outcome);
        Assert.NotEqual(firstToken, bot.Scheduler.Session!.AccessToken);
        Assert.Equal("""{"value":42}""", job!.Result!.Value.GetRawText());
    }

    [Fact]
    public async Task AssignmentChangedByAnOperator_ReachesTheBotOnItsNextHeartbeat_PeakBeforeAndAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), settings: ShortLeases, time: time);
        await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 12).Select(_ => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 10_000 })))], ct);
        await using var bot = new DirectBot(server.Address, time, new BotDefinition { Operations = ["sleep"], MaxConcurrency = 6, ClaimBatchSize = 10 });

        // Before: the bot asked for 6 at registration (constraints.max_concurrency) and got them.
        await bot.Scheduler.TickAsync(ct);
        var before = bot.Scheduler.InFlight;
        await server.Operator.UpdateAssignmentAsync(bot.Scheduler.Session!.BotId, new UpdateAssignmentRequest(MaxConcurrency: 2), ct);
        Assert.Equal(HeartbeatOutcome.AssignmentChanged, await bot.Scheduler.HeartbeatAsync(ct));
        var lowered = await bot.Scheduler.TickAsync(ct);

        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.ValueAsync(() => Task.FromResult(bot.Scheduler.InFlight), n => n == 0, "the first jobs finished", TimeSpan.FromSeconds(10));
        var refilled = await bot.Scheduler.TickAsync(ct);
        var after = bot.Scheduler.InFlight;

        await server.Operator.UpdateAssignmentAsync(bot.Scheduler.Session!.BotId, new UpdateAssignmentRequest(Paused: true), ct);
        await bot.Scheduler.HeartbeatAsync(ct);
        var paused = await bot.Scheduler.TickAsync(ct);
        var secondHeartbeat = await bot.Scheduler.HeartbeatAsync(ct);

        Assert.Equal((6, TickOutcome.Busy), (before, lowered.Outcome));
        Assert.Equal((2, 2), (refilled.JobsStarted, after));
        Assert.Equal(TickOutcome.Stopped, paused.Outcome);
        Assert.Equal(BotState.Paused, bot.Scheduler.GetStatus().State);
        Assert.Equal(HeartbeatOutcome.Delivered, secondHeartbeat);
        Assert.Equal(6, bot.Scheduler.PeakInFlight);
    }
}
