using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.Storage.Hosting;

/// <summary>Ready when the database holding the silo's grain state, reminders and membership answers a query.</summary>
internal sealed class OrleansStorageHealthCheck(OrleansDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.DisplayName} answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception goes to the health check log, not to the (unauthenticated) response.
            return new HealthCheckResult(context.Registration.FailureStatus, $"{database.DisplayName} does not answer.", ex);
        }
    }
}
