using BotFleet.Cli.Connections;
using BotFleet.Client;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Hands out <see cref="Client"/>, or throws <see cref="ConnectFault"/> as an unreachable silo would.</summary>
internal sealed class FakeFleetConnector : IFleetConnector
{
    public FakeFleetClient Client { get; } = new();

    public Exception? ConnectFault { get; set; }

    public List<int> Ports { get; } = [];

    public Task<T> UseAsync<T>(int gatewayPort, Func<IFleetClient, Task<T>> action, CancellationToken cancellationToken)
    {
        Ports.Add(gatewayPort);
        return ConnectFault is { } fault ? Task.FromException<T>(fault) : action(Client);
    }
}
