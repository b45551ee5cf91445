using System.Collections.Immutable;
using BotFleet.Contracts.Bots;

namespace BotFleet.Contracts.Fleet;

/// <summary>The fleet's roster (a single grain, key <see cref="RosterKey"/>): which bots exist and how they are.</summary>
[Alias("BotFleet.IFleetGrain")]
public interface IFleetGrain : IGrainWithStringKey
{
    public const string RosterKey = "fleet";

    /// <summary>Starts (or re-configures) a bot and adds it to the roster.</summary>
    [Alias("StartBot")]
    Task StartBotAsync(string botKey, BotDefinition definition);

    /// <summary>Stops a bot and removes it from the roster.</summary>
    [Alias("StopBot")]
    Task StopBotAsync(string botKey);

    [Alias("GetBotKeys")]
    Task<ImmutableArray<string>> GetBotKeysAsync();

    [Alias("GetStatus")]
    Task<FleetStatus> GetStatusAsync();
}
