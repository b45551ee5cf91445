using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.JobServer.Health;

public static class JobServerHealth
{
    /// <summary>Tag of the checks /health/ready runs (the job store's among them).</summary>
    public const string ReadyTag = "ready";

    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    internal static IServiceCollection AddJobServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<JobStoreHealthCheck>(JobStoreHealthCheck.Name, HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>
    /// /health/live: 200 "Healthy" while the process serves requests (runs no check).
    /// /health/ready: 200 when every check tagged "ready" passes (the job store answers; in a silo, also its cluster
    /// membership and storage), else 503.
    /// Not rate limited and open to anyone: the answer is one word.
    /// </summary>
    public static IEndpointRouteBuilder MapBotFleetJobServerHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
