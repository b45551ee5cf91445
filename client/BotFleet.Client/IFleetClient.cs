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

    Task<BotStatus> GetBotStatusAsync(string botKey, CancellationToken cancellationToken = default);

    Task StartBotAsync(string botKey, BotDefinition definition, CancellationToken cancellationToken = default);

    Task StopBotAsync(string botKey, CancellationToken cancellationToken = default);
}
