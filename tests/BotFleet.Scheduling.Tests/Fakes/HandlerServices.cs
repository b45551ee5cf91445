using BotFleet.Scheduling.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>What the silo registers to run jobs (registry, executor, running-job board, built-in handlers), on a given clock.</summary>
public static class HandlerServices
{
    public static ServiceCollection Create(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddBuiltInJobHandlers();
        return services;
    }
}
