using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Connections;

/// <summary>The shared job API client, seen through the one interface the CLI's commands take.</summary>
internal sealed class HttpJobServerClient(JobApiClient api) : IJobServerClient
{
    public Task<IReadOnlyList<string>> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken) => api.SubmitAsync(job, cancellationToken);

    public Task<IReadOnlyList<string>> SubmitBatchAsync(IReadOnlyList<SubmitJobRequest> jobs, CancellationToken cancellationToken) =>
        api.SubmitBatchAsync(jobs, cancellationToken);

    public Task<JobView?> GetJobAsync(string jobId, CancellationToken cancellationToken) => api.GetJobAsync(jobId, cancellationToken);

    public Task<JobListAnswer> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken) => api.ListJobsAsync(query, cancellationToken);

    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken) => api.GetStatsAsync(cancellationToken);

    public Task<BotAssignment?> UpdateAssignmentAsync(string botId, UpdateAssignmentRequest request, CancellationToken cancellationToken) =>
        api.UpdateAssignmentAsync(botId, request, cancellationToken);

    public Task<JobControlResponse> RequeueJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken) =>
        api.RequeueJobsAsync(request, cancellationToken);

    public Task<JobControlResponse> DiscardJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken) =>
        api.DiscardJobsAsync(request, cancellationToken);

    public Task<JobView?> CancelJobAsync(string jobId, CancellationToken cancellationToken) => api.CancelJobAsync(jobId, cancellationToken);
}
