using BotFleet.JobApi.Contracts;

namespace BotFleet.JobApi.Client;

/// <summary>Operator calls of job API v1 beyond <see cref="IJobProducerClient"/>.</summary>
public interface IJobOperatorClient
{
    /// <returns>The bot's new assignment, or null when the server does not know the bot (404).</returns>
    Task<BotAssignment?> UpdateAssignmentAsync(string botId, UpdateAssignmentRequest request, CancellationToken cancellationToken);

    /// <summary>Requeues dead jobs (POST /v1/jobs/requeue): the named ones, with a result each, or all of them.</summary>
    Task<JobControlResponse> RequeueJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken);

    /// <summary>Discards dead jobs (POST /v1/jobs/discard): the named ones, with a result each, or all of them.</summary>
    Task<JobControlResponse> DiscardJobsAsync(JobSelectionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a job (POST /v1/jobs/{job_id}/cancel) and answers it as it is now: cancelled, or still leased with
    /// <see cref="JobView.CancelRequestedAt"/> until its bot stops it. Null when the job is unknown (404); a finished
    /// job is a <see cref="JobApiException"/> with 409.
    /// </summary>
    Task<JobView?> CancelJobAsync(string jobId, CancellationToken cancellationToken);
}
