namespace BotFleet.Scheduling.Scheduling;

/// <summary>A bot's lifetime totals, saved with its grain state so a restart does not zero them.</summary>
[GenerateSerializer, Immutable, Alias("BotFleet.BotCounters")]
public sealed record BotCounters
{
    [Id(0)] public long JobsCompleted { get; init; }
    [Id(1)] public long JobsFailed { get; init; }
    [Id(2)] public long JobsReleased { get; init; }
    [Id(3)] public long ReportsDropped { get; init; }
    [Id(4)] public long MalformedJobsSkipped { get; init; }
}
