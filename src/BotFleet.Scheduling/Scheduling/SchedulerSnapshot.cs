using BotFleet.Scheduling.Outbox;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The durable part of a bot: reports waiting to be delivered (in order), those set aside,
/// and the jobs it was running — so a bot that comes back after its silo died can release them —
/// and its lifetime counters.
/// </summary>
public sealed record SchedulerSnapshot(
    IReadOnlyList<JobReport> Pending,
    IReadOnlyList<QuarantinedReport> Quarantined,
    IReadOnlyList<RunningJobRecord>? Running = null,
    BotCounters? Counters = null);
