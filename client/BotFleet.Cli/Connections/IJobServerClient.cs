using BotFleet.JobApi.Client;

namespace BotFleet.Cli.Connections;

/// <summary>What the CLI asks of the job server: the producer and operator calls, and the job listing.</summary>
internal interface IJobServerClient : IJobProducerClient, IJobOperatorClient
{
    /// <summary>GET /v1/jobs: one page, oldest first.</summary>
    /// <exception cref="JobApiException">The server did not answer, or refused the request.</exception>
    Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken);
}
