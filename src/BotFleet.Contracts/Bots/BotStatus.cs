using System.Collections.Immutable;

namespace BotFleet.Contracts.Bots;

/// <summary>A snapshot of one bot, for operators.</summary>
[GenerateSerializer, Immutable, Alias("BotFleet.BotStatus")]
public sealed record BotStatus
{
    [Id(0)] public required string BotKey { get; init; }
    [Id(1)] public required BotState State { get; init; }
    [Id(2)] public string? BotId { get; init; }
    [Id(3)] public string? InstanceId { get; init; }
    [Id(4)] public ImmutableArray<string> Operations { get; init; } = [];
    [Id(5)] public int MaxConcurrency { get; init; }
    [Id(6)] public int InFlight { get; init; }
    [Id(7)] public int PeakInFlight { get; init; }
    [Id(8)] public int OutboxSize { get; init; }
    [Id(9)] public long JobsCompleted { get; init; }
    [Id(10)] public long JobsFailed { get; init; }
    [Id(11)] public long ReportsDropped { get; init; }
    [Id(12)] public string? LastError { get; init; }
    [Id(13)] public DateTimeOffset? LastTickAt { get; init; }
    [Id(14)] public DateTimeOffset? NextTickAt { get; init; }
    [Id(15)] public long JobsReleased { get; init; }
    [Id(16)] public DateTimeOffset? LastHeartbeatAt { get; init; }

    /// <summary>The silo the bot's grain is active on (its address), so an operator sees where each bot runs.</summary>
    [Id(17)] public string? Silo { get; init; }
}
