using BotFleet.JobApi.Contracts;

namespace BotFleet.JobApi.Client;

/// <summary>The producer and operator side of job API v1 (submit, inspect, list, stats).</summary>
public interface IJobProducerClient
{
    Task<IReadOnlyList<string>> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<SubmitJobRequest> jobs, CancellationToken cancellationToken);

    /// <returns>The job, or null when the server does not know it (404).</returns>
    Task<JobView?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>GET /v1/jobs: one page of jobs, oldest first, filtered by status and operation.</summary>
    Task<JobListAnswer> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken);
}
