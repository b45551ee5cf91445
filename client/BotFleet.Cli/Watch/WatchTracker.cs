using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Watch;

/// <summary>
/// Turns successive /v1/stats answers into progress since the watch started: jobs done, what is left, the finishing
/// rate over a sliding window (so a burst long ago does not flatter the ETA), and the jobs no running bot can take.
/// </summary>
internal sealed class WatchTracker
{
    /// <summary>How far back the rate looks.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly Queue<(DateTimeOffset At, long Finished)> _history = new();
    private long? _finishedAtStart;

    /// <param name="offeredOperations">Operations some running bot offers; null when unknown (then nothing counts as stranded).</param>
    public WatchSample Observe(DateTimeOffset at, StatsResponse stats, IReadOnlySet<string>? offeredOperations)
    {
        var jobs = stats.Jobs;
        // A cancelled job is finished too: cancelling pending jobs moves them from what is left to what is done.
        var finished = jobs.Completed + jobs.Dead + jobs.Cancelled;
        _finishedAtStart ??= finished;
        // A server whose jobs were purged may count fewer than at the start; progress never goes negative.
        var done = Math.Max(0, finished - _finishedAtStart.Value);

        var stranded = offeredOperations is null
            ? new Dictionary<string, long>()
            : stats.ByOp
                .Where(pair => pair.Value.Pending > 0 && !offeredOperations.Contains(pair.Key))
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .ToDictionary(pair => pair.Key, pair => pair.Value.Pending, StringComparer.Ordinal);
        var workable = Math.Max(0, jobs.Pending + jobs.Leased - stranded.Values.Sum());

        var rate = Rate(at, finished);
        double? eta = rate is > 0 ? workable / rate.Value : workable == 0 ? 0 : null;
        return new WatchSample(
            at, jobs.Pending, jobs.Leased, jobs.Completed, jobs.Dead, done, done + workable,
            rate is { } r ? Math.Round(r, 1) : null, eta is { } e ? Math.Round(e, 1) : null,
            stats.Bots.Active, stats.Bots.Registered, stranded);
    }

    private double? Rate(DateTimeOffset at, long finished)
    {
        _history.Enqueue((at, finished));
        // Keep one sample at or before the window's start, so the rate always spans the whole window once it can.
        while (_history.Count > 2 && at - _history.ElementAt(1).At >= RateWindow)
        {
            _history.Dequeue();
        }

        var (oldestAt, oldestFinished) = _history.Peek();
        var span = (at - oldestAt).TotalSeconds;
        return span > 0 ? Math.Max(0, finished - oldestFinished) / span : null;
    }
}
