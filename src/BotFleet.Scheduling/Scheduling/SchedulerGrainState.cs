using BotFleet.Contracts.Bots;
using BotFleet.Scheduling.Outbox;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>The durable part of a bot: its definition, whether it should run, its outbox, the jobs it is running and its counters.</summary>
[GenerateSerializer, Alias("BotFleet.SchedulerGrainState")]
public sealed class SchedulerGrainState
{
    [Id(0)] public BotDefinition? Definition { get; set; }
    [Id(1)] public bool Running { get; set; }
    [Id(2)] public List<JobReport> Outbox { get; set; } = [];
    [Id(3)] public List<QuarantinedReport> Quarantine { get; set; } = [];
    [Id(4)] public List<RunningJobRecord> RunningJobs { get; set; } = [];
    [Id(5)] public BotCounters Counters { get; set; } = new();
}
