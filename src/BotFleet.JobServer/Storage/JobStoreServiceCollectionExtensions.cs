using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Storage.PostgreSql;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.JobServer.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Storage;

public static class JobStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="IJobStore"/> named by JobServer:Store: <see cref="SqliteJobStore"/> (default) or
    /// <see cref="PostgreSqlJobStore"/> (JobServer:PostgreSqlConnectionString). The choice is made when the store is
    /// first resolved, from the bound <see cref="JobServerOptions"/>, so configuration set after this call still counts.
    /// An IJobStore registered earlier wins. Binds the "JobServer" section of <paramref name="configuration"/>
    /// (harmless when AddBotFleetJobServer bound it too).
    /// </summary>
    public static IServiceCollection AddBotFleetJobStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<JobServerOptions>()
            .Bind(configuration.GetSection(JobServerOptions.SectionName))
            .PostConfigure(options => options.ApplyOlderSettings());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InProcessJobArrivalSignal>();
        services.TryAddSingleton<IJobArrivalSignal>(provider => provider.GetRequiredService<InProcessJobArrivalSignal>());
        services.AddMetrics();
        services.TryAddSingleton<JobServerMetrics>();
        services.TryAddSingleton<JobEvents>();
        services.TryAddSingleton<SqliteJobStore>();
        services.TryAddSingleton<PostgreSqlJobStore>();
        services.TryAddSingleton<IJobStore>(provider =>
            provider.GetRequiredService<IOptions<JobServerOptions>>().Value.Store == JobStoreKind.PostgreSql
                ? provider.GetRequiredService<PostgreSqlJobStore>()
                : provider.GetRequiredService<SqliteJobStore>());
        // Each consumer takes the concern it needs; all are the one store.
        services.TryAddSingleton<IBotRegistry>(provider => provider.GetRequiredService<IJobStore>());
        services.TryAddSingleton<IJobQueue>(provider => provider.GetRequiredService<IJobStore>());
        services.TryAddSingleton<IJobCatalog>(provider => provider.GetRequiredService<IJobStore>());
        services.TryAddSingleton<IJobControl>(provider => provider.GetRequiredService<IJobStore>());
        return services;
    }
}
