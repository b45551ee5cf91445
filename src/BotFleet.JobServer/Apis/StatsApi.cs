using BotFleet.JobApi.Wire;
using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Responses;
using BotFleet.JobServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace BotFleet.JobServer.Apis;

/// <summary>GET /v1/stats: job counts per status and per op, registered and active bots.</summary>
public static class StatsApi
{
    public static RouteHandlerBuilder MapStatsApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/v1/stats", GetStatsAsync)
            .RequireProducerAccess()
            .WithTags("Stats")
            .WithGroupName(JobServerOpenApi.DocumentName)
            .WithName("JobApi.GetStats")
            .WithSummary("Job counts per status and per op; bots registered and active (seen within three heartbeat intervals).")
            .Produces<StatsResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<JsonHttpResult<StatsResponse>> GetStatsAsync(IJobStore store, CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        return JobApiResults.Json(stats.ToWire());
    }
}
