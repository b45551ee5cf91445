using System.Collections.Immutable;
using BotFleet.Contracts.Bots;

namespace BotFleet.Contracts.Fleet;

/// <summary>Every enrolled bot's status at one moment.</summary>
[GenerateSerializer, Immutable, Alias("BotFleet.FleetStatus")]
public sealed record FleetStatus
{
    [Id(0)] public required ImmutableArray<BotStatus> Bots { get; init; }
    [Id(1)] public required DateTimeOffset TakenAt { get; init; }
}
