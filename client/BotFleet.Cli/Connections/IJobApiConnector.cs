using BotFleet.JobApi.Client;

namespace BotFleet.Cli.Connections;

/// <summary>Opens a job API client for the length of one command.</summary>
internal interface IJobApiConnector
{
    /// <exception cref="JobApiException">The server did not answer, or refused the request.</exception>
    Task<T> UseAsync<T>(Uri server, Func<IJobProducerClient, Task<T>> action, CancellationToken cancellationToken);
}
