using BotFleet.JobServer.Health;
using BotFleet.Storage.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.Silo.Hosting.Health;

/// <summary>
/// The checks behind every silo's /health/ready, whether or not it hosts the job server: joined to the cluster and
/// its storage answers (and, with the embedded job server, the job store answers too). The endpoints are the job
/// server's own (<see cref="JobServerHealth.MapBotFleetJobServerHealth"/>), which run every check tagged ready.
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
}
