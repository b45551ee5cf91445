using BotFleet.JobServer.Apis;
using BotFleet.JobServer.OperatorConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace BotFleet.JobServer;

public static class JobServerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps job API v1 (/v1/bots/…, /v1/jobs/…, /v1/stats, /v1/queue) and the jobs console (/console). Needs <see cref="JobServerServiceCollectionExtensions.AddBotFleetJobServer"/>.
    /// Unknown routes (404) and known routes with another method (405, with Allow) come from routing
    /// itself; the host's UseStatusCodePages turns them into problem+json. The OpenAPI document is
    /// served by the host's own MapOpenApi().
    /// </summary>
    public static IEndpointRouteBuilder MapBotFleetJobApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapBotsApi();
        endpoints.MapJobsApi();
        endpoints.MapJobControlApi();
        endpoints.MapStatsApi();
        endpoints.MapJobsConsole();
        return endpoints;
    }
}
