using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>Claims long-poll (wait_ms) on servers that offer it, and only there.</summary>
public sealed class LongPollClaimTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AServerThatOffersLongPolling_GetsClaimsWithTheShorterOfItsAndTheBotsWait()
    {
        await using var h = new SchedulerHarness(options: new SchedulerOptions { ClaimWait = TimeSpan.FromSeconds(20) });
        h.Api.ConfigMaxClaimWaitMs = 30_000;

        await h.TickAndDrainAsync();

        Assert.Equal(TimeSpan.FromSeconds(20), h.Scheduler.Session!.ClaimWait);
        Assert.Equal(20_000, Assert.Single(h.Api.Claims).WaitMs);
    }

    [Fact]
    public async Task AServerWithAShorterLimit_CapsTheWait()
    {
        await using var h = new SchedulerHarness();
        h.Api.ConfigMaxClaimWaitMs = 1_500;

        await h.TickAndDrainAsync();

        Assert.Equal(1_500, Assert.Single(h.Api.Claims).WaitMs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task AServerThatDoesNotOfferIt_OrABotThatTurnedItOff_GetsTodaysImmediateClaim(int? serverWait)
    {
        await using var h = new SchedulerHarness();
        h.Api.ConfigMaxClaimWaitMs = serverWait;
        await using var off = new SchedulerHarness(options: new SchedulerOptions { ClaimWait = TimeSpan.Zero });
        off.Api.ConfigMaxClaimWaitMs = 30_000;

        var result = await h.TickAndDrainAsync();
        await off.TickAndDrainAsync();

        Assert.Null(Assert.Single(h.Api.Claims).WaitMs);
        Assert.Null(Assert.Single(off.Api.Claims).WaitMs);
        Assert.Equal(TickOutcome.Idle, result.Outcome);
    }

    [Fact]
    public async Task AnEmptyClaimThatWaitedOutItsTime_IsIdleAfterWait_SoTheBotClaimsAgainAtOnce()
    {
        await using var h = new SchedulerHarness();
        h.Api.ConfigMaxClaimWaitMs = 10_000;
        h.Api.ClaimOverride = request =>
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(request.WaitMs!.Value));
            return Task.FromResult(new ClaimResponse<JsonElement>([]));
        };

        var result = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.IdleAfterWait, result.Outcome);
    }

    [Fact]
    public async Task AnEmptyClaimAnsweredAtOnceDespiteTheWait_IsPlainIdle_SoAServerIgnoringWaitMsIsNotPolledInALoop()
    {
        await using var h = new SchedulerHarness();
        h.Api.ConfigMaxClaimWaitMs = 10_000;
        h.Api.ClaimOverride = _ =>
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(10));
            return Task.FromResult(new ClaimResponse<JsonElement>([]));
        };

        var result = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.Idle, result.Outcome);
    }

    [Fact]
    public async Task WhileTheOutboxCannotBeDelivered_ClaimsDoNotWait_SoTheBotComesBackToFlushIt()
    {
        var kept = JobReport.Complete("job_kept", "inst", """{"ok":true}""");
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot([kept], []));
        h.Api.ConfigMaxClaimWaitMs = 30_000;
        h.Api.ReportFault = _ => FakeJobApi.Unreachable();

        var blocked = await h.TickAndDrainAsync();
        h.Api.ReportFault = _ => null;
        var healthy = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.OutboxBlocked, blocked.Outcome);
        Assert.Equal([null, 30_000], h.Api.Claims.Select(c => c.WaitMs));
        Assert.Equal(TickOutcome.Idle, healthy.Outcome);
        Assert.Equal(["job_kept"], h.Api.Accepted.Select(r => r.JobId));
    }
}
