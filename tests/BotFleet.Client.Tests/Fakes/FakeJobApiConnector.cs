using BotFleet.Cli.Connections;
using BotFleet.JobApi.Client;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Hands out <see cref="Client"/>, or throws <see cref="ConnectFault"/> as an unreachable server would.</summary>
internal sealed class FakeJobApiConnector : IJobApiConnector
{
    public FakeJobProducer Client { get; } = new();

    public Exception? ConnectFault { get; set; }

    public List<Uri> Servers { get; } = [];

    public Task<T> UseAsync<T>(Uri server, Func<IJobProducerClient, Task<T>> action, CancellationToken cancellationToken)
    {
        Servers.Add(server);
        return ConnectFault is { } fault ? Task.FromException<T>(fault) : action(Client);
    }
}
