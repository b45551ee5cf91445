using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Responses;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace BotFleet.JobServer.Apis;

/// <summary>
/// GET /v1/stats: job counts per status and per op, registered and active bots; GET /v1/queue: per op, the pending
/// jobs and the oldest one's submission time (a scan of the pending jobs).
/// </summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/stats", GetStatsAsync)
            .RequireProducerAccess()
            .WithTags("Stats")
            .WithGroupName(JobServerOpenApi.DocumentName)
            .WithName("JobApi.GetStats")
            .WithSummary("Job counts per status and per op; bots registered and active (seen within three heartbeat intervals).")
            .Produces<StatsResponse>(StatusCodes.Status200OK);

        endpoints.MapGet("/v1/queue", GetQueueAsync)
            .RequireProducerAccess()
            .WithTags("Stats")
            .WithGroupName(JobServerOpenApi.DocumentName)
            .WithName("JobApi.GetQueue")
            .WithSummary("Per operation with pending jobs: how many, and when the oldest was submitted.")
            .Produces<QueueResponse>(StatusCodes.Status200OK);
        return endpoints;
    }

    private static async Task<JsonHttpResult<StatsResponse>> GetStatsAsync(IJobCatalog store, CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        return JobApiResults.Json(stats.ToWire());
    }

    private static async Task<JsonHttpResult<QueueResponse>> GetQueueAsync(IJobCatalog store, CancellationToken cancellationToken)
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
