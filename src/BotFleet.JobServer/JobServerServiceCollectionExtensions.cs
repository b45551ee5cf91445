using BotFleet.JobServer.Leases;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

public static class JobServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the job server: options (section "JobServer", validated at start-up), the SQLite
    /// job store, the lease sweeper, problem details and the "jobapi" OpenAPI document.
    /// Uses the TimeProvider registered in DI (TimeProvider.System unless one is registered).
    /// </summary>
    /// <param name="configuration">The root configuration; the "JobServer" section is read from it.</param>
    public static IServiceCollection AddBotFleetJobServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<JobServerOptions>()
            .Bind(configuration.GetSection(JobServerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobServerOptions>, JobServerOptionsCrossFieldValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobStore, SqliteJobStore>();
        services.AddHostedService<JobStoreInitializer>();
        services.AddHostedService<LeaseSweeper>();

        services.AddProblemDetails();
        services.AddJobApiOpenApi();
        return services;
    }
}
