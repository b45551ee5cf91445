using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.JobServer.Health;

/// <summary>
/// Ready when the job store answers a query. Looks up a job id that can never exist (ids start with
/// "job_"): one indexed read, cheap however many jobs there are, unlike counting them for stats.
/// </summary>
internal sealed class JobStoreHealthCheck(IJobCatalog store) : IHealthCheck
{
    public const string Name = "job_store";
    private const string ProbeJobId = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetJobAsync(ProbeJobId, cancellationToken);
            return HealthCheckResult.Healthy("The job store answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception goes to the health check log, not to the (unauthenticated) response.
            return new HealthCheckResult(context.Registration.FailureStatus, "The job store does not answer.", ex);
        }
    }
}
