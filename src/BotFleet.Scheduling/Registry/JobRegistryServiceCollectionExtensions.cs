using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotFleet.Scheduling.Registry;

public static class JobRegistryServiceCollectionExtensions
{
    /// <summary>Adds an operation: <c>services.AddJobHandler&lt;ResizeImageHandler&gt;("resize_image")</c>.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string operation, TimeSpan? timeout = null)
        where THandler : class, IJobHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        services.AddJobRegistry();
        services.TryAddSingleton<THandler>();
        services.AddSingleton(new JobHandlerRegistration(operation, typeof(THandler), timeout));
        return services;
    }

    /// <summary>Adds the built-in operations: sum, subtract, multiply, divide, echo and sleep.</summary>
    public static IServiceCollection AddBuiltInJobHandlers(this IServiceCollection services) => services
        .AddJobHandler<SumHandler>("sum")
        .AddJobHandler<SubtractHandler>("subtract")
        .AddJobHandler<MultiplyHandler>("multiply")
        .AddJobHandler<DivideHandler>("divide")
        .AddJobHandler<EchoHandler>("echo")
        .AddJobHandler<SleepHandler>("sleep", TimeSpan.FromMinutes(30));

    private static IServiceCollection AddJobRegistry(this IServiceCollection services)
    {
        services.AddOptions<JobRegistryOptions>()
            .BindConfiguration(JobRegistryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobRegistry>();
        services.TryAddSingleton<RunningJobBoard>();
        services.TryAddSingleton<JobExecutor>();
        return services;
    }
}
