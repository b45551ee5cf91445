using System.Diagnostics;
using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// A bot long-polls the real server (wait_ms): it picks up a job the moment it is submitted, and an empty wait ends on
/// time. Idle bots of one silo take turns: one waits at the server for all of them.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class LongPollTests
{
    [Fact]
    public async Task SixIdleBotsInOneSilo_HoldOneWaitingClaimBetweenThem_AndStillTakeABurstAndALateJob()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            for (var i = 1; i <= 6; i++)
            {
                await fleet.StartBotAsync($"idle-{i}", new BotDefinition { Operations = ["sum"], MaxConcurrency = 2, ClaimBatchSize = 2 });
            }

            await Eventually.ValueAsync(() => Task.FromResult(server.ClaimsWaiting), n => n == 1, "one claim waiting", TimeSpan.FromSeconds(20));
            var idleSamples = new List<int>();
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
                idleSamples.Add(server.ClaimsWaiting);
            }

            // 30 jobs at once: the turn passes from bot to bot, so the burst is spread over the line, not left to one bot.
            var burst = await server.Producer.SubmitBatchAsync(
                [.. Enumerable.Range(0, 30).Select(i => new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = i, b = 1 })))], ct);
            await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 30, "the burst completed", TimeSpan.FromSeconds(20));
            await Eventually.ValueAsync(() => Task.FromResult(server.ClaimsWaiting), n => n == 1, "one claim waiting again", TimeSpan.FromSeconds(20));
            var late = Stopwatch.StartNew();
            var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = 40, b = 2 })), ct)).Single();
            var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the late job completed", TimeSpan.FromSeconds(10));
            late.Stop();
            var status = await fleet.GetStatusAsync();

            Assert.All(idleSamples, n => Assert.Equal(1, n));
            Assert.Equal(30, burst.Distinct().Count());
            Assert.Equal(31, status.Bots.Sum(b => b.JobsCompleted));
            Assert.True(status.Bots.Count(b => b.JobsCompleted > 0) >= 3, $"the burst went to {status.Bots.Count(b => b.JobsCompleted > 0)} bot(s)");
            Assert.Equal("""{"value":42}""", job!.Result!.Value.GetRawText());
            // Far below a tick-driven pickup: the holder was waiting at the server when the job came.
            Assert.True(late.Elapsed < TimeSpan.FromSeconds(2), $"the late job took {late.Elapsed}");
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }

    [Fact]
    public async Task AnIdleBotWaitingAtTheServer_ClaimsASubmittedJobAtOnce_AndAnEmptyWaitEndsWhenItsTimeIsUp()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        var wait = TimeSpan.FromSeconds(3);
        await using var bot = new DirectBot(server.Address, TimeProvider.System, new BotDefinition { Operations = ["sum"], MaxConcurrency = 4 }, new SchedulerOptions { ClaimWait = wait });

        // Nothing to do: the claim waits out its time at the server, then the bot may claim again at once.
        var empty = Stopwatch.StartNew();
        var idle = await bot.Scheduler.TickAsync(ct);
        empty.Stop();
        Assert.Equal(TickOutcome.IdleAfterWait, idle.Outcome);
        Assert.InRange(empty.Elapsed, wait - TimeSpan.FromMilliseconds(100), wait + TimeSpan.FromSeconds(5));

        // The next claim is waiting when the job arrives: it comes back with the job long before its wait is up.
        var waiting = Stopwatch.StartNew();
        var tick = bot.Scheduler.TickAsync(ct);
        await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        Assert.False(tick.IsCompleted, "the claim should be held by the server while no job is ready");
        var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = 40, b = 2 })), ct)).Single();
        var claimed = await tick;
        waiting.Stop();

        Assert.Equal((TickOutcome.Claimed, 1), (claimed.Outcome, claimed.JobsStarted));
        // Task.Delay's timer and the Stopwatch are different clocks: the 500 ms delay has been seen to end at 498.9 ms.
        Assert.InRange(waiting.Elapsed, TimeSpan.FromMilliseconds(450), wait - TimeSpan.FromMilliseconds(500));
        var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the job completed", TimeSpan.FromSeconds(10));
        Assert.Equal("""{"value":42}""", job!.Result!.Value.GetRawText());
    }
}
