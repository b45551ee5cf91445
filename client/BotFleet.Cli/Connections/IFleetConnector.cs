using BotFleet.Client;

namespace BotFleet.Cli.Connections;

/// <summary>Opens a fleet client for the length of one command.</summary>
internal interface IFleetConnector
{
    /// <exception cref="FleetUnavailableException">No silo answered on the gateway port.</exception>
    Task<T> UseAsync<T>(int gatewayPort, Func<IFleetClient, Task<T>> action, CancellationToken cancellationToken);
}
