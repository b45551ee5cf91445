using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BotFleet.Storage.Hosting;

public static class BotFleetStorageHealthChecksBuilderExtensions
{
    public const string CheckName = "orleans_storage";

    /// <summary>
    /// Adds a check that the silo's storage (chosen by <c>UseBotFleetSqlite</c> or <c>UseBotFleetPostgreSql</c>)
    /// answers a query within 5 s.
    /// </summary>
    public static IHealthChecksBuilder AddBotFleetStorageCheck(this IHealthChecksBuilder builder, IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<OrleansStorageHealthCheck>(CheckName, HealthStatus.Unhealthy, tags, TimeSpan.FromSeconds(5));
    }
}
