namespace BotFleet.Scheduling.Fleet;

/// <summary>The roster: the keys of every started bot.</summary>
[GenerateSerializer, Alias("BotFleet.FleetGrainState")]
public sealed class FleetGrainState
{
    [Id(0)] public SortedSet<string> BotKeys { get; set; } = new(StringComparer.Ordinal);
}
