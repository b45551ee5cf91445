using System.Diagnostics.Metrics;

namespace BotFleet.JobServer.Telemetry;

/// <summary>
/// The job server's instruments, on the meter <see cref="MeterName"/> (created through <see cref="IMeterFactory"/>,
/// so each host and each test gets its own). Counters are tagged with the jobs' operation (<c>op</c>), the pruned ones with their status.
/// </summary>
public sealed class JobServerMetrics
{
    public const string MeterName = "BotFleet.JobServer";

    private readonly Counter<long> _dead;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _requeued;
    private readonly Counter<long> _discarded;
    private readonly Counter<long> _pruned;

    public JobServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _dead = meter.CreateCounter<long>("botfleet.jobs.dead", "{job}", "Jobs that ran out of attempts (their last attempt failed or was lost).");
        _cancelled = meter.CreateCounter<long>("botfleet.jobs.cancelled", "{job}", "Jobs an operator cancelled that ended cancelled (at once when pending, else when their bot stopped them).");
        _requeued = meter.CreateCounter<long>("botfleet.jobs.requeued", "{job}", "Dead jobs an operator put back in the queue.");
        _discarded = meter.CreateCounter<long>("botfleet.jobs.discarded", "{job}", "Dead jobs an operator deleted.");
        _pruned = meter.CreateCounter<long>("botfleet.jobs.pruned", "{job}", "Finished jobs deleted by the retention policy, tagged with their status.");
    }

    public void JobDied(string op) => _dead.Add(1, new KeyValuePair<string, object?>("op", op));

    public void JobCancelled(string op) => _cancelled.Add(1, new KeyValuePair<string, object?>("op", op));

    public void JobsRequeued(string op, long count) => _requeued.Add(count, new KeyValuePair<string, object?>("op", op));

    public void JobsDiscarded(string op, long count) => _discarded.Add(count, new KeyValuePair<string, object?>("op", op));

    public void JobsPruned(string status, long count) => _pruned.Add(count, new KeyValuePair<string, object?>("status", status));
}
