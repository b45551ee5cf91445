using BotFleet.JobServer.Apis;
using BotFleet.JobServer.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BotFleet.JobServer;

public static class JobServerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps job API v1 (/v1/bots/…, /v1/jobs/…, /v1/stats) and a /v1 fallback that answers
    /// 404 problem+json for unknown routes. Needs <see cref="JobServerServiceCollectionExtensions.AddBotFleetJobServer"/>.
    /// The OpenAPI document is served by the host's own MapOpenApi().
    /// </summary>
    public static IEndpointRouteBuilder MapBotFleetJobApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapBotsApi();
        endpoints.MapJobsApi();
        endpoints.MapStatsApi();

        // Only under /v1: the silo maps routes of its own beside these.
        endpoints.MapFallback("/v1/{**path}", (HttpContext context) =>
                Problems.NotFound($"No job API route for {context.Request.Method} {context.Request.Path}."))
            .ExcludeFromDescription();
        return endpoints;
    }
}
