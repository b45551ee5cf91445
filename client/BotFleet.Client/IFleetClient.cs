using System.Collections.Immutable;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Client;

/// <summary>
/// Operator calls on the fleet. Every method throws <see cref="FleetUnavailableException"/>
/// when the silo cannot be reached; a definition the silo refuses throws <see cref="ArgumentException"/>.
/// </summary>
public interface IFleetClient
{
    Task<FleetStatus> GetFleetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>The grain's status for any key, even one never started (it answers as a stopped bot with no definition).</summary>
    Task<BotStatus> GetBotStatusAsync(string botKey, CancellationToken cancellationToken = default);

    /// <summary>The keys on the fleet's roster (started and not stopped).</summary>
    Task<ImmutableArray<string>> GetBotKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The bot's status when the fleet knows it: on the roster, or stopped but started once (it keeps its definition
    /// and outbox). Null for a key nothing ever started, such as a typo.
    /// </summary>
    Task<BotStatus?> FindBotAsync(string botKey, CancellationToken cancellationToken = default);

    /// <summary>Asks a running bot to tick (deliver its outbox) and heartbeat (learn an assignment change) now.</summary>
    Task WakeBotAsync(string botKey, CancellationToken cancellationToken = default);

    Task StartBotAsync(string botKey, BotDefinition definition, CancellationToken cancellationToken = default);

    Task StopBotAsync(string botKey, CancellationToken cancellationToken = default);
}
