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

    /// <summary>
    /// Starts (or re-configures) each bot and adds those started to the roster in one write, so a silo starting
    /// thousands of configured bots does not rewrite the whole roster once per bot. A bot that cannot start is logged
    /// by the roster and left out; its key is returned.
    /// </summary>
    [Alias("StartBots")]
    Task<ImmutableArray<string>> StartBotsAsync(ImmutableDictionary<string, BotDefinition> bots);

    /// <summary>Stops a bot and removes it from the roster.</summary>
    [Alias("StopBot")]
    Task StopBotAsync(string botKey);

    [Alias("GetBotKeys")]
    Task<ImmutableArray<string>> GetBotKeysAsync();

    [Alias("GetStatus")]
    Task<FleetStatus> GetStatusAsync();

    /// <summary>
    /// Calls every bot on the roster, so that bots whose silo left the cluster are activated again on a living one
    /// now rather than at their keep-alive reminder. Returns the keys of bots that could not be reached.
    /// </summary>
    [Alias("ResumeBots")]
    Task<ImmutableArray<string>> ResumeBotsAsync();

    /// <summary>
    /// Spreads the roster's bots evenly over <paramref name="silos"/> (the cluster's active silos): bots on silos
    /// holding more than their share move to those holding less. Returns how many were asked to move.
    /// </summary>
    [Alias("Rebalance")]
    Task<int> RebalanceAsync(ImmutableArray<SiloAddress> silos);
}
