using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Hosting;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

/// <summary>The one-silo test clusters of this project: the real grains on memory storage and the fake job API, fast ticks.</summary>
internal static class TestSilo
{
    /// <summary>The grains with memory storage, in-memory reminders, <paramref name="api"/> and ticks of 20 ms; <paramref name="time"/> drives the silo when given.</summary>
    public static ISiloBuilder AddFakeJobApiScheduling(this ISiloBuilder siloBuilder, FakeJobApi api, FakeTimeProvider? time = null, Action<SchedulerOptions>? configure = null)
    {
        siloBuilder
            .AddMemoryGrainStorage(StorageNames.BotFleet)
            .UseInMemoryReminderService()
            .AddBotFleetScheduling();
        if (time is not null)
        {
            siloBuilder.Services.AddSingleton<TimeProvider>(time);
        }

        siloBuilder.Services.AddSingleton<IJobApiClient>(api);
        siloBuilder.Services.Configure<SchedulerOptions>(o =>
        {
            o.TickInterval = TimeSpan.FromMilliseconds(20);
            o.MaxIdleInterval = TimeSpan.FromMilliseconds(100);
            o.MaxFailureBackoff = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        return siloBuilder;
    }

    /// <summary>Deploys one silo configured by <typeparamref name="TConfigurator"/>, letting <paramref name="time"/> flow while it starts.</summary>
    public static async Task<TestCluster> DeployOnFakeClockAsync<TConfigurator>(FakeTimeProvider time)
        where TConfigurator : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        var cluster = builder.Build();
        await using (FlowingTime.Start(time))
        {
            await cluster.DeployAsync();
        }

        return cluster;
    }

    /// <summary>Stops and disposes the cluster, letting <paramref name="time"/> flow while it stops.</summary>
    public static async Task StopOnFakeClockAsync(this TestCluster cluster, FakeTimeProvider time)
    {
        await using (FlowingTime.Start(time))
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// Lets <paramref name="time"/> flow to <paramref name="at"/> by <paramref name="step"/> and reads the bot's status
    /// there, while the clock still flows for the silo's own short waits (a grain call on a clock that stands still can
    /// wait for ever). The clock stands at <paramref name="at"/> afterwards.
    /// </summary>
    public static async Task<BotStatus> StatusWhenTheClockReachesAsync(this ISchedulerGrain bot, FakeTimeProvider time, DateTimeOffset at, TimeSpan step)
    {
        await using (FlowingTime.Until(time, at, step))
        {
            await Eventually.TrueAsync(() => time.GetUtcNow() == at, $"the clock at {at:O}", TimeSpan.FromMinutes(1));
            return await bot.GetStatusAsync();
        }
    }
}
