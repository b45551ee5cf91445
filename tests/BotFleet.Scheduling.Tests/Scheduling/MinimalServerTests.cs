using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// A server that answers registration with only the fields the contract requires (no config, endpoints, refresh
/// token, expires_in or paused) and has no batch report endpoint: the bot takes documented defaults and works.
/// </summary>
public sealed class MinimalServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegistrationWithOnlyTheRequiredFields_TakesTheDefaults_AndRunsEveryJob()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 4, claimBatchSize: 10);
        h.Api.MinimalRegistration = true;
        h.Api.AssignedMaxConcurrency = 3;
        var ids = Enumerable.Range(0, 7).Select(i => h.Api.Enqueue("probe", new { i })).ToList();
        h.Probe.HoldJobs = true;

        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(3);
        var startedWhileHeld = h.Probe.Started.Count;
        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.RunUntilQueueEmptyAsync();

        var session = h.Scheduler.Session!;
        Assert.Equal(
            (3, 10, false, TimeSpan.FromSeconds(BotConfigDefaults.HeartbeatIntervalSeconds), TimeSpan.Zero, BotConfigDefaults.MaxResultBytes),
            (session.MaxConcurrency, session.ClaimBatchSize, session.Paused, session.HeartbeatInterval, session.ClaimWait, session.MaxResultBytes));
        // The assigned concurrency governs (3 of the bot's 4), and no long poll is asked of a server that offers none.
        Assert.Equal(3, startedWhileHeld);
        Assert.Equal(3, h.Probe.Peak);
        Assert.Equal(3, h.Api.Claims[0].Limit);
        Assert.All(h.Api.Claims, c => Assert.Null(c.WaitMs));
        Assert.Equal(ids.Order(StringComparer.Ordinal), h.Api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        Assert.All(h.Api.Accepted, r => Assert.Equal("complete", r.Action));
        Assert.Equal(7, h.Scheduler.GetStatus().JobsCompleted);
        Assert.Equal(HeartbeatOutcome.Delivered, await h.Scheduler.HeartbeatAsync(Ct));
    }
}
