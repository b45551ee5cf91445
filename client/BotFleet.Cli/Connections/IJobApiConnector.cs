using BotFleet.JobApi.Client;

namespace BotFleet.Cli.Connections;

/// <summary>Opens a job API client for the length of one command.</summary>
internal interface IJobApiConnector
{
    /// <param name="apiKey">Sent as X-Api-Key when not null.</param>
    /// <exception cref="JobApiException">The server did not answer, or refused the request.</exception>
    Task<T> UseAsync<T>(Uri server, string? apiKey, Func<IJobServerClient, Task<T>> action, CancellationToken cancellationToken);
}
