using BotFleet.JobServer.Health;
using BotFleet.Storage.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.Silo.Hosting.Health;

/// <summary>
/// Every silo's /health/live and /health/ready, whether or not it hosts the job server: ready means joined to the
/// cluster and its storage answers (and, with the embedded job server, the job store answers too).
/// </summary>
public static class SiloHealth
{
    internal static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ClusterMembershipHealthCheck>(ClusterMembershipHealthCheck.Name, HealthStatus.Unhealthy, [JobServerHealth.ReadyTag])
            .AddBotFleetStorageCheck([JobServerHealth.ReadyTag]);
        return services;
    }

    /// <summary>The same paths and answers as the standalone job server's, so one probe configuration fits both.</summary>
    public static IEndpointRouteBuilder MapBotFleetSiloHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(JobServerHealth.LivePath, new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks(JobServerHealth.ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(JobServerHealth.ReadyTag) });
        return endpoints;
    }
}
