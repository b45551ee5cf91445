using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.Silo.Hosting.Health;

/// <summary>Ready when this silo is an active member of the cluster (joined, and not yet leaving).</summary>
internal sealed class ClusterMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo) : IHealthCheck
{
    public const string Name = "cluster_membership";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(localSilo.SiloAddress);
        if (status == SiloStatus.Active)
        {
            var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
            return Task.FromResult(HealthCheckResult.Healthy($"Active in a cluster of {active} silo(s)."));
        }

        return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"This silo is {status}, not active in the cluster."));
    }
}
