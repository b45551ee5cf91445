using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// A bot with the real executor and board: the heartbeat carries what its handlers reported, and a heartbeat answer
/// naming a running job cancelled stops that handler and reports the attempt failed as cancelled.
/// </summary>
public sealed class CancelAndProgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeartbeatAnswerNamingARunningJob_StopsItsHandler_AndReportsItCancelled_OthersRunOn()
    {
        await using var h = new SchedulerHarness();
        h.Probe.HoldJobs = true;
        var cancelled = h.Api.Enqueue("probe", new { i = 0 });
        var kept = h.Api.Enqueue("probe", new { i = 1 });
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);
        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, Cancel: [cancelled, "job_not_running_here"]);

        await h.Scheduler.HeartbeatAsync(Ct);

        await Eventually.TrueAsync(() => h.Api.Accepted.Count == 1, "the cancelled job's report");
        Assert.Equal([(cancelled, "fail", JobExecutor.CancelledError("probe"))], h.Api.Accepted.Select(r => (r.JobId, r.Action, r.Error)));
        Assert.Equal([kept], h.Scheduler.RunningJobs.Select(r => r.JobId));
        Assert.Single(h.Logger.Collector.GetSnapshot(), r => r.Id.Id == SchedulingLogEvents.JobCancelRequested && r.Message.Contains(cancelled, StringComparison.Ordinal));
        h.Probe.ReleaseAll();
        await h.DrainAsync();
        Assert.Equal([(kept, "complete")], h.Api.Accepted.Skip(1).Select(r => (r.JobId, r.Action)));
    }

    [Fact]
    public async Task Heartbeat_CarriesTheProgressItsHandlerReported()
    {
        await using var h = new SchedulerHarness(operations: ["progress", "probe"]);
        h.Probe.HoldJobs = true;
        var reporting = h.Api.Enqueue("progress", new { });
        var silent = h.Api.Enqueue("probe", new { });
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);

        await h.Scheduler.HeartbeatAsync(Ct);

        var running = Assert.Single(h.Api.Calls.OfType<HeartbeatCall>()).Request.Running.ToDictionary(r => r.JobId);
        Assert.Equal(new JobProgress(25, "a quarter"), running[reporting].Progress);
        Assert.Null(running[silent].Progress);
    }
}
