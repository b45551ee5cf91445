using BotFleet.JobApi.Wire;
using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace BotFleet.JobServer.Apis;

/// <summary>GET /v1/queue: per operation, the pending jobs and the oldest one's submission time (a scan of the pending jobs).</summary>
public static class QueueApi
{
    public static RouteHandlerBuilder MapQueueApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/v1/queue", GetQueueAsync)
            .RequireProducerAccess()
            .WithTags("Stats")
            .WithGroupName(JobServerOpenApi.DocumentName)
            .WithName("JobApi.GetQueue")
            .WithSummary("Per operation with pending jobs: how many, and when the oldest was submitted.")
            .Produces<QueueResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<JsonHttpResult<QueueResponse>> GetQueueAsync(IJobStore store, CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        var oldest = await store.GetOldestPendingAsync(cancellationToken);
        var queues = oldest
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => new QueueView(o.Key, stats.ByOp.TryGetValue(o.Key, out var counts) ? counts.Pending : 0, o.Value))
            .ToList();
        return JobApiResults.Json(new QueueResponse(queues));
    }
}
