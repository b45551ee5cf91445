using BotFleet.JobApi.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.Cli.Connections;

/// <summary>Builds the job API's typed HttpClient (the same registration the bots use) for one command.</summary>
internal sealed class HttpJobApiConnector : IJobApiConnector
{
    /// <summary>Per-request timeout; a CLI user would rather see an error than wait on a stuck server.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public async Task<T> UseAsync<T>(Uri server, Func<IJobProducerClient, Task<T>> action, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddJobApiClient(server, RequestTimeout);
        await using var provider = services.BuildServiceProvider();
        return await action(provider.GetRequiredService<IJobProducerClient>());
    }
}
