using System.Text.Json;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobApi.Client;

/// <summary>
/// The bot side of job API v1. Transient faults (429, 5xx, timeouts, connection errors)
/// and request errors (400, 401, 403) throw <see cref="JobApiException"/>; the answers a
/// report sender must act on (accepted, 409 conflict, 404 unknown job) come back as a value.
/// </summary>
public interface IJobApiClient
{
    Task<RegisterBotResponse> RegisterAsync(RegisterBotRequest request, CancellationToken cancellationToken);

    Task<HeartbeatResponse> HeartbeatAsync(string botId, HeartbeatRequest request, string accessToken, CancellationToken cancellationToken);

    Task<ClaimResponse<JsonElement>> ClaimAsync(ClaimRequest request, string accessToken, CancellationToken cancellationToken);

    Task<ReportDelivery> CompleteAsync(string jobId, CompleteRequest request, string accessToken, CancellationToken cancellationToken);

    Task<ReportDelivery> FailAsync(string jobId, FailRequest request, string accessToken, CancellationToken cancellationToken);
}
