using BotFleet.Cli.Connections;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Hands out <see cref="Client"/>, or throws <see cref="ConnectFault"/> as an unreachable server would.</summary>
internal sealed class FakeJobApiConnector : IJobApiConnector
{
    public FakeJobServer Client { get; } = new();

    public Exception? ConnectFault { get; set; }

    public List<Uri> Servers { get; } = [];

    public List<string?> ApiKeys { get; } = [];

    public Task<T> UseAsync<T>(Uri server, string? apiKey, Func<IJobServerClient, Task<T>> action, CancellationToken cancellationToken)
    {
        Servers.Add(server);
        ApiKeys.Add(apiKey);
        return ConnectFault is { } fault ? Task.FromException<T>(fault) : action(Client);
    }
}
