using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// Idle bots of one silo with the same operations queue in the <see cref="IdleClaimRelay"/>: one waits at the server,
/// the others send nothing until their turn comes.
/// </summary>
public sealed class IdleClaimLineTests : IAsyncDisposable
{
    private readonly IdleClaimRelay _relay = new();
    private readonly List<SchedulerHarness> _bots = [];

    private static string Line => "sum";

    [Fact]
    public async Task ThreeIdleBots_OnlyTheFirstClaimsAtTheServer_TheOthersWaitInLineSendingNothing()
    {
        var (first, second, third) = (Bot(1), Bot(2), Bot(3));

        var outcomes = new[] { await first.TickAndDrainAsync(), await second.TickAndDrainAsync(), await third.TickAndDrainAsync() };

        Assert.Equal([TickOutcome.Idle, TickOutcome.WaitingInLine, TickOutcome.WaitingInLine], outcomes.Select(o => o.Outcome));
        Assert.Equal(30_000, Assert.Single(first.Api.Claims).WaitMs);
        Assert.Empty(second.Api.Claims);
        Assert.Empty(third.Api.Claims);
        Assert.Equal(("bot-1", 2), _relay.Describe(Line));
        Assert.Equal([0, 0, 0], _bots.Select(b => b.WakeUps));
    }

    [Fact]
    public async Task TheHoldersClaimBringsJobs_TheFirstInLineIsWokenAndHoldsTheNextWaitInItsPlace()
    {
        var (first, second, third) = await ThreeInLineAsync();
        first.Api.Enqueue("sum", new { a = 1, b = 2 }, "job-1");

        var brought = await first.TickAndDrainAsync();
        var wokenBefore = (second.WakeUps, third.WakeUps);
        var successor = await second.TickAndDrainAsync();
        var formerHolder = await first.TickAndDrainAsync();

        Assert.Equal(TickOutcome.Claimed, brought.Outcome);
        Assert.Equal((1, 0), wokenBefore);
        Assert.Equal(TickOutcome.Idle, successor.Outcome);
        Assert.Equal(30_000, Assert.Single(second.Api.Claims).WaitMs);
        // Its claim came back short (the queue ran dry), so it queues behind the third bot.
        Assert.Equal(TickOutcome.WaitingInLine, formerHolder.Outcome);
        Assert.Equal(2, first.Api.Claims.Count);
        Assert.Equal(("bot-2", 2), _relay.Describe(Line));
        Assert.Equal(["job-1"], first.Api.Accepted.Select(r => r.JobId));
    }

    [Fact]
    public async Task ABotWhoseLastClaimCameBackFull_ClaimsAgainAtOnceWithoutQueueingOrWaiting()
    {
        var (busy, idle) = (Bot(1), Bot(2));
        for (var i = 0; i < 20; i++)
        {
            busy.Api.Enqueue("sum", new { a = i, b = 1 });
        }

        var full = await busy.TickAndDrainAsync();
        await idle.TickAndDrainAsync();
        var refill = await busy.TickAndDrainAsync();

        Assert.Equal(TickOutcome.ClaimedFullBatch, full.Outcome);
        Assert.Equal(TickOutcome.ClaimedFullBatch, refill.Outcome);
        Assert.Equal([4, 4], busy.Api.Claims.Select(c => c.Limit));
        // The refill does not wait at the server: had the queue run dry, the bot would join the line instead.
        Assert.Equal([30_000, null], busy.Api.Claims.Select(c => c.WaitMs));
        Assert.Equal(("bot-2", 0), _relay.Describe(Line));
        Assert.Single(idle.Api.Claims);
    }

    [Fact]
    public async Task AHolderThatStops_PassesTheTurn_AndABotInLineThatStops_LeavesIt()
    {
        var (first, second, third) = await ThreeInLineAsync();

        third.Scheduler.Stop();
        first.Scheduler.Stop();
        var successor = await second.TickAndDrainAsync();

        Assert.Equal((1, 0), (second.WakeUps, third.WakeUps));
        Assert.Equal(TickOutcome.Idle, successor.Outcome);
        Assert.Equal(("bot-2", 0), _relay.Describe(Line));
    }

    [Fact]
    public async Task AHolderPausedByTheOperator_PassesTheTurn()
    {
        var (first, second) = (Bot(1), Bot(2));
        await first.TickAndDrainAsync();
        await second.TickAndDrainAsync();

        first.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(["sum"], 4, Paused: true));
        await first.Scheduler.HeartbeatAsync(TestContext.Current.CancellationToken);
        var paused = await first.TickAndDrainAsync();
        var woken = second.WakeUps;
        var successor = await second.TickAndDrainAsync();

        Assert.Equal(TickOutcome.Stopped, paused.Outcome);
        Assert.Equal(1, woken);
        Assert.Equal(TickOutcome.Idle, successor.Outcome);
        Assert.Equal(("bot-2", 0), _relay.Describe(Line));
    }

    [Fact]
    public async Task ABotWokenWithNoFreeSlot_HandsTheTurnToTheNextInLine()
    {
        var (holder, full, next) = (Bot(1, operations: ["probe"]), Bot(2, operations: ["probe"]), Bot(3, operations: ["probe"]));
        full.Probe.HoldJobs = true;
        for (var i = 0; i < 3; i++)
        {
            full.Api.Enqueue("probe", new { i });
        }

        // The second bot takes three jobs (one slot left), then queues behind the holder; the third behind it.
        Assert.Equal(TickOutcome.Claimed, (await full.Scheduler.TickAsync(TestContext.Current.CancellationToken)).Outcome);
        // Held from here on: a job whose handler started only after the release below would be held again.
        await full.Probe.WaitForStartedAsync(3);
        await holder.TickAndDrainAsync();
        Assert.Equal(TickOutcome.WaitingInLine, (await full.Scheduler.TickAsync(TestContext.Current.CancellationToken)).Outcome);
        await next.TickAndDrainAsync();
        // The operator lowers its limit to the three it runs; then work comes to the holder.
        full.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(["probe"], 3, Paused: false));
        await full.Scheduler.HeartbeatAsync(TestContext.Current.CancellationToken);
        holder.Api.Enqueue("probe", new { i = 9 });
        await holder.TickAndDrainAsync();

        var wokenFull = full.WakeUps;
        var busy = await full.Scheduler.TickAsync(TestContext.Current.CancellationToken);
        full.Probe.ReleaseAll();
        await full.DrainAsync();

        Assert.Equal(1, wokenFull);
        Assert.Equal(TickOutcome.Busy, busy.Outcome);
        Assert.Equal(1, next.WakeUps);
        Assert.Equal(TickOutcome.Idle, (await next.TickAndDrainAsync()).Outcome);
        Assert.Equal(("bot-3", 0), _relay.Describe("probe"));
    }

    [Fact]
    public async Task ABotWhoseOperationsChange_LeavesTheLineOfItsOldOnes()
    {
        var (first, second) = (Bot(1), Bot(2));
        await first.TickAndDrainAsync();
        await second.TickAndDrainAsync();

        second.Scheduler.Reconfigure(second.Definition with { Operations = ["divide"] });
        var alone = await second.TickAndDrainAsync();

        Assert.Equal(("bot-1", 0), _relay.Describe(Line));
        Assert.Equal(("bot-2", 0), _relay.Describe("divide"));
        Assert.Equal(TickOutcome.Idle, alone.Outcome);
    }

    [Fact]
    public async Task WithoutLongPolling_EveryIdleBotClaimsAsBefore()
    {
        var bots = new[] { Bot(1, serverWaitMs: null), Bot(2, serverWaitMs: null) };

        foreach (var bot in bots)
        {
            await bot.TickAndDrainAsync();
        }

        Assert.All(bots, bot => Assert.Null(Assert.Single(bot.Api.Claims).WaitMs));
        Assert.Equal((null, 0), _relay.Describe(Line));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bot in _bots)
        {
            await bot.DisposeAsync();
        }
    }

    /// <summary>Three idle bots ticked in order: the first holds the waiting claim, the others wait in line behind it.</summary>
    private async Task<(SchedulerHarness First, SchedulerHarness Second, SchedulerHarness Third)> ThreeInLineAsync()
    {
        var bots = (Bot(1), Bot(2), Bot(3));
        await bots.Item1.TickAndDrainAsync();
        await bots.Item2.TickAndDrainAsync();
        await bots.Item3.TickAndDrainAsync();
        return bots;
    }

    private SchedulerHarness Bot(int number, int? serverWaitMs = 30_000, string[]? operations = null)
    {
        var bot = new SchedulerHarness(operations: operations ?? ["sum"], botKey: $"bot-{number}", relay: _relay);
        bot.Api.ConfigMaxClaimWaitMs = serverWaitMs;
        _bots.Add(bot);
        return bot;
    }
}
