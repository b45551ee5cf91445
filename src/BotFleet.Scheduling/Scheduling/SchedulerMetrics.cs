using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The bots' instruments, on the meter <see cref="MeterName"/>, one set per silo for all its bots (tags never name a
/// bot: a silo hosts thousands). Exported as BotFleet:Telemetry says; without a listener each call costs a check.
/// </summary>
public sealed class SchedulerMetrics
{
    public const string MeterName = "BotFleet.Scheduling";

    private readonly Histogram<double> _claimDuration;
    private readonly Counter<long> _jobsClaimed;
    private readonly UpDownCounter<long> _jobsRunning;
    private readonly Counter<long> _jobsFinished;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _reports;
    private readonly Histogram<double> _reportDuration;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _leasesExtended;
    private readonly Counter<long> _leasesNotExtended;
    private readonly Histogram<double> _outboxFlush;
    private readonly Histogram<double> _tickDuration;

    /// <summary>Each <see cref="TickOutcome"/> as a tag value (snake case, as Prometheus shows labels), indexed by the outcome.</summary>
    private static readonly string[] TickOutcomeTags = [.. Enum.GetValues<TickOutcome>().OrderBy(o => (int)o).Select(o => JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()))];

    /// <summary>The bots active on this silo, whose outboxes and free slots the gauges add up when they are read.</summary>
    private readonly ConcurrentDictionary<BotScheduler, byte> _bots = new();

    public SchedulerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _claimDuration = meter.CreateHistogram<double>("botfleet.bot.claim.duration", "s", "Claims, from request to answer, tagged with their outcome: jobs, empty or failed.");
        _jobsClaimed = meter.CreateCounter<long>("botfleet.bot.jobs.claimed", "{job}", "Jobs the bots claimed and started.");
        _jobsRunning = meter.CreateUpDownCounter<long>("botfleet.bot.jobs.running", "{job}", "Jobs running on the silo's bots now (their busy slots).");
        _jobsFinished = meter.CreateCounter<long>("botfleet.bot.jobs.finished", "{job}", "Jobs the bots ran to an end, tagged with op and outcome (completed or failed).");
        _jobDuration = meter.CreateHistogram<double>("botfleet.bot.job.duration", "s", "Time from a job's dispatch to a worker to its outcome, tagged with op and outcome.");
        _reports = meter.CreateCounter<long>("botfleet.bot.reports", "{report}", "Reports settled with the job server, tagged with result: accepted, conflict, not_found, invalid, dropped or quarantined.");
        _reportDuration = meter.CreateHistogram<double>("botfleet.bot.report.duration", "s", "Report calls (one report or a batch), from request to answer.");
        _throttled = meter.CreateCounter<long>("botfleet.bot.throttled", "{answer}", "429 answers the job server gave the bots.");
        _leasesExtended = meter.CreateCounter<long>("botfleet.bot.leases.extended", "{lease}", "Leases of running jobs a heartbeat extended.");
        _leasesNotExtended = meter.CreateCounter<long>("botfleet.bot.leases.not_extended", "{lease}", "Jobs a heartbeat named that the server did not extend: reported meanwhile, or no longer leased to the bot (lost: the server may run them again elsewhere).");
        meter.CreateObservableGauge("botfleet.bot.outbox.size", () => Sum(bot => bot.OutboxCount), "{report}", "Reports waiting in the outboxes of the silo's active bots (undelivered, in order, before their next claim).");
        meter.CreateObservableGauge("botfleet.bot.slots.free", () => Sum(bot => bot.FreeSlots), "{slot}", "Free slots of the silo's active bots: jobs they could take now within their max_concurrency.");
        _outboxFlush = meter.CreateHistogram<double>("botfleet.bot.outbox.flush.duration", "s", "Deliveries of a non-empty outbox, tagged with their outcome: emptied or stopped (a transient fault keeps the rest).");
        _tickDuration = meter.CreateHistogram<double>("botfleet.bot.tick.duration", "s", "Ticks (outbox flush, claim and dispatch), tagged with what they did: claimed, claimed_full_batch, idle, idle_after_wait (a long-poll claim that waited), busy, outbox_blocked, claim_failed, ….");
    }

    /// <summary>Counts <paramref name="bot"/>'s outbox and free slots in the gauges until <see cref="Forget"/>.</summary>
    public void Track(BotScheduler bot) => _bots.TryAdd(bot, 0);

    public void Forget(BotScheduler bot) => _bots.TryRemove(bot, out _);

    public void Claimed(TimeSpan duration, int jobs) => _claimDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", jobs > 0 ? "jobs" : "empty"));

    public void ClaimFailed(TimeSpan duration) => _claimDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));

    public void JobStarted()
    {
        _jobsClaimed.Add(1);
        _jobsRunning.Add(1);
    }

    public void JobFinished(string op, bool completed, TimeSpan duration)
    {
        var tags = new TagList { { "op", op }, { "outcome", completed ? "completed" : "failed" } };
        _jobsRunning.Add(-1);
        _jobsFinished.Add(1, tags);
        _jobDuration.Record(duration.TotalSeconds, tags);
    }

    public void ReportsSettled(string result, int count = 1) => _reports.Add(count, new KeyValuePair<string, object?>("result", result));

    public void ReportCall(TimeSpan duration) => _reportDuration.Record(duration.TotalSeconds);

    public void Throttled() => _throttled.Add(1);

    /// <param name="notExtended">Jobs the heartbeat named that the server did not extend; null when its answer lists no leases (older servers).</param>
    public void Heartbeat(int extended, int? notExtended)
    {
        _leasesExtended.Add(extended);
        if (notExtended is > 0)
        {
            _leasesNotExtended.Add(notExtended.Value);
        }
    }

    public void Ticked(TimeSpan duration, TickOutcome outcome) =>
        _tickDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", TickOutcomeTags[(int)outcome]));

    public void OutboxFlushed(TimeSpan duration, bool emptied) =>
        _outboxFlush.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", emptied ? "emptied" : "stopped"));

    private long Sum(Func<BotScheduler, int> of)
    {
        long sum = 0;
        foreach (var bot in _bots.Keys)
        {
            sum += of(bot);
        }

        return sum;
    }
}
