using System.Diagnostics;
using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Wire;
using BotFleet.Scheduling.Scheduling;

namespace BotFleet.EndToEnd.Tests;

/// <summary>A bot long-polls the real server (wait_ms): it picks up a job the moment it is submitted, and an empty wait ends on time.</summary>
public sealed class LongPollTests
{
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
        Assert.InRange(waiting.Elapsed, TimeSpan.FromMilliseconds(500), wait - TimeSpan.FromMilliseconds(500));
        var job = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the job completed", TimeSpan.FromSeconds(10));
        Assert.Equal("""{"value":42}""", job!.Result!.Value.GetRawText());
    }
}
