using BotFleet.JobApi.Wire;

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
}
