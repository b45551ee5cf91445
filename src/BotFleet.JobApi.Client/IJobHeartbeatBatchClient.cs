using BotFleet.JobApi.Contracts;

namespace BotFleet.JobApi.Client;

/// <summary>
/// The batched heartbeat call (POST /v1/bots/heartbeats, an addition to job API v1), apart from
/// <see cref="IJobApiClient"/> so existing implementers need not change. A server without it answers 404 or 405:
/// send single heartbeats then. Errors throw <see cref="JobApiException"/> as in IJobApiClient.
/// </summary>
public interface IJobHeartbeatBatchClient
{
    /// <returns>One result per heartbeat, in input order (status ok, unauthorized, forbidden, not_found or invalid).</returns>
    Task<IReadOnlyList<HeartbeatBatchItemResult>> HeartbeatBatchAsync(IReadOnlyList<HeartbeatBatchItem> heartbeats, CancellationToken cancellationToken);
}
