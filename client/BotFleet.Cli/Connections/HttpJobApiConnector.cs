using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.Cli.Connections;

/// <summary>Builds the job API's typed HttpClient (the same registration the bots use) for one command.</summary>
internal sealed class HttpJobApiConnector : IJobApiConnector
{
    /// <summary>Per-request timeout; a CLI user would rather see an error than wait on a stuck server.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public async Task<T> UseAsync<T>(Uri server, string? apiKey, Func<IJobServerClient, Task<T>> action, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        var client = services.AddJobApiClient(server, RequestTimeout);
        if (apiKey is not null)
        {
            client.ConfigureHttpClient(http => http.DefaultRequestHeaders.Add(JobApiHeaders.ApiKey, apiKey));
        }

        await using var provider = services.BuildServiceProvider();
        return await action(new HttpJobServerClient(provider.GetRequiredService<JobApiClient>()));
    }
}
