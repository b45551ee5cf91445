using BotFleet.Scheduling.Fleet;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotFleet.Scheduling.Hosting;

public static class BotFleetSiloBuilderExtensions
{
    /// <summary>
    /// Adds the bot scheduler, the worker grains and the built-in operations. The silo must
    /// also provide an <see cref="JobApi.Client.IJobApiClient"/>, grain storage named
    /// <see cref="StorageNames.BotFleet"/> and a reminder service.
    /// </summary>
    public static ISiloBuilder AddBotFleetScheduling(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SchedulerOptions>()
            // A misspelt key must stop the silo, not leave the default in force without a word.
            .BindConfiguration(SchedulerOptions.SectionName, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        services.AddBuiltInJobHandlers();
        services.TryAddSingleton<IdleClaimRelay>();
        services.TryAddSingleton<OutageLine>();
        services.TryAddSingleton<HeartbeatClock>();
        services.AddMetrics();
        services.TryAddSingleton<SchedulerMetrics>();
        // The batching window is real time, whatever clock the bots' schedules run on.
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<HeartbeatCoalescer>(sp, TimeProvider.System));
        services.AddOptions<FleetFailoverOptions>()
            .BindConfiguration(FleetFailoverOptions.SectionName, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<FleetMembershipWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<FleetMembershipWatcher>());
        return builder;
    }
}
