namespace BotFleet.Scheduling.Scheduling;

/// <summary>A job this bot is running, kept in grain state so a restarted bot can release it at once.</summary>
[GenerateSerializer, Immutable, Alias("BotFleet.RunningJobRecord")]
public sealed record RunningJobRecord(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Op,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string InstanceId,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? LeaseUntil);
