using BotFleet.Client;
using BotFleet.Client.Hosting;

namespace BotFleet.Cli.Connections;

/// <summary>Connects an Orleans client to the silo on localhost, runs the action, disconnects.</summary>
internal sealed class OrleansFleetConnector : IFleetConnector
{
    public async Task<T> UseAsync<T>(int gatewayPort, Func<IFleetClient, Task<T>> action, CancellationToken cancellationToken)
    {
        // One attempt: a person at a prompt wants "not running" now, not after 30 s of retries.
        var options = new BotFleetClientOptions { GatewayPort = gatewayPort, ConnectRetry = TimeSpan.Zero };
        await using var connection = await FleetConnection.ConnectAsync(options, cancellationToken);
        return await action(connection.Client);
    }
}
