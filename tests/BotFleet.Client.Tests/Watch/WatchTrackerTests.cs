using BotFleet.Cli.Watch;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Client.Tests.Watch;

/// <summary>Progress since the start, the rate over a sliding window, and stranded jobs.</summary>
public sealed class WatchTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Rate_LooksBackOnlyOverTheWindow()
    {
        var tracker = new WatchTracker();
        tracker.Observe(Start, Stats(pending: 100, completed: 0), null);
        tracker.Observe(Start.AddSeconds(10), Stats(pending: 0, completed: 100), null);

        // Nothing finished in the last 10 s: the burst before it no longer counts.
        var idle = tracker.Observe(Start.AddSeconds(20), Stats(pending: 50, completed: 100), null);

        Assert.Equal(0, idle.JobsPerSecond);
        Assert.Null(idle.EtaSeconds);
        Assert.Equal((100, 150), (idle.Done, idle.Total));
    }

    [Fact]
    public void Stranded_AreThePendingJobsOfOperationsNoBotOffers_AndLeaveTheTotal()
    {
        var tracker = new WatchTracker();
        var stats = new StatsResponse(
            new JobStatusCounts(7, 1, 0, 0),
            new Dictionary<string, JobStatusCounts> { ["sum"] = new(4, 1, 0, 0), ["nope"] = new(3, 0, 0, 0) },
            new BotCounts(1, 1));

        var sample = tracker.Observe(Start, stats, new HashSet<string> { "sum" });

        Assert.Equal(new Dictionary<string, long> { ["nope"] = 3 }, sample.Stranded);
        Assert.Equal(5, sample.Total);
        Assert.False(sample.Drained);
    }

    [Fact]
    public void CancelledJobs_CountAsDone_SoCancellingPendingJobsKeepsTheTotal()
    {
        var tracker = new WatchTracker();
        tracker.Observe(Start, new StatsResponse(new JobStatusCounts(10, 0, 0, 0), new Dictionary<string, JobStatusCounts>(), new BotCounts(1, 1)), null);

        var sample = tracker.Observe(Start.AddSeconds(1), new StatsResponse(new JobStatusCounts(6, 0, 1, 0, Cancelled: 3), new Dictionary<string, JobStatusCounts>(), new BotCounts(1, 1)), null);

        Assert.Equal((4, 10), (sample.Done, sample.Total));
    }

    private static StatsResponse Stats(long pending, long completed) =>
        new(new JobStatusCounts(pending, 0, completed, 0), new Dictionary<string, JobStatusCounts>(), new BotCounts(1, 1));
}
