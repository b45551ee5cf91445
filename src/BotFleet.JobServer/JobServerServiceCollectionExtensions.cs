using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Health;
using BotFleet.JobServer.Leases;
using BotFleet.JobServer.RateLimiting;
using BotFleet.JobServer.Retention;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

public static class JobServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the job server: options (section "JobServer", validated at start-up), the job store
    /// (JobServer:Store), the lease sweeper, the retention of finished jobs, bot token checks, the rate limiter (placed in front of the
    /// host's pipeline by a startup filter, so hosts need no extra call), the "job_store" readiness check,
    /// problem details and the "jobapi" OpenAPI document.
    /// Uses the TimeProvider registered in DI (TimeProvider.System unless one is registered).
    /// </summary>
    /// <param name="configuration">The root configuration; the "JobServer" section is read from it.</param>
    public static IServiceCollection AddBotFleetJobServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<JobServerOptions>()
            // A misspelt key must stop the server, not leave the default in force without a word.
            .Bind(configuration.GetSection(JobServerOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobServerOptions>, JobServerOptionsCrossFieldValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobServerOptions>, JobServerRateLimitOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddBotFleetJobStore(configuration);
        services.AddHostedService<JobStoreInitializer>();
        services.AddHostedService<LeaseSweeper>();
        services.TryAddSingleton<JobRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<JobRetention>());
        services.AddHostedService<PostgreSqlStatusCountFolding>();
        services.TryAddSingleton<ClaimWaiters>();
        services.AddHostedService<PostgreSqlJobArrivalListener>();

        services.TryAddSingleton<BotTokenCache>();
        services.TryAddSingleton<BotAuthenticator>();
        services.AddRateLimiter(_ => { });
        services.TryAddSingleton<JobApiRateLimiter>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, JobApiRateLimitingStartupFilter>());
        services.AddJobServerHealthChecks();

        services.AddProblemDetails();
        services.AddJobApiOpenApi();
        return services;
    }
}
