using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.Cli.Connections;

/// <summary>Builds the job API's typed HttpClient (the same registration the bots use) for one command.</summary>
internal sealed class HttpJobApiConnector : IJobApiConnector
{
    /// <summary>Per-request timeout; a CLI user would rather see an error than wait on a stuck server.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Environment variable holding the server's API key (JobServer:ApiKey), kept out of command lines and shell history.</summary>
    public const string ApiKeyVariable = "BOTFLEET_API_KEY";

    public async Task<T> UseAsync<T>(Uri server, Func<IJobProducerClient, Task<T>> action, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        var client = services.AddJobApiClient(server, RequestTimeout);
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } apiKey)
        {
            client.ConfigureHttpClient(http => http.DefaultRequestHeaders.Add(JobApiHeaders.ApiKey, apiKey));
        }

        await using var provider = services.BuildServiceProvider();
        return await action(provider.GetRequiredService<IJobProducerClient>());
    }
}
