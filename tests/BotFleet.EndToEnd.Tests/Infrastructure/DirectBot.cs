using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Jobs;
using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One bot's scheduler outside Orleans, talking to the real server over loopback through the real
/// client, on the same fake clock as the server: a test can drive minutes of ticks and heartbeats.
/// </summary>
public sealed class DirectBot : IAsyncDisposable, ISchedulerStateStore, IJobDispatcher
{
    private readonly ServiceProvider _services;
    private readonly JobExecutor _executor;

    /// <param name="options">
    /// Default: no long-poll claims, since a test that ticks by hand on a fake clock would wait for a claim
    /// the server holds until that clock moves.
    /// </param>
    /// <param name="botKey">Its bot_key: two direct bots need two keys, or they are one bot to the server.</param>
    public DirectBot(Uri server, TimeProvider time, BotDefinition definition, SchedulerOptions? options = null, string botKey = "direct-bot")
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddBuiltInJobHandlers();
        services.AddJobApiClient(server, TimeSpan.FromSeconds(10));
        _services = services.BuildServiceProvider();
        _executor = _services.GetRequiredService<JobExecutor>();
        Scheduler = new BotScheduler(
            botKey, definition, new SchedulerSnapshot([], []), _services.GetRequiredService<IJobApiClient>(), this, this, time, NullLogger.Instance,
            options ?? new SchedulerOptions { ClaimWait = TimeSpan.Zero });
    }

    public BotScheduler Scheduler { get; }

    public SchedulerSnapshot? Saved { get; private set; }

    Task ISchedulerStateStore.SaveAsync(SchedulerSnapshot snapshot)
    {
        Saved = snapshot;
        return Task.CompletedTask;
    }

    // Inline, so that when a tick returns its handlers have started and their waits are on the fake clock.
    Task<JobOutcome> IJobDispatcher.DispatchAsync(JobWork work) => _executor.RunAsync(work);

    // No drain: on a fake clock a job left sleeping never finishes, and this bot's state is thrown away anyway.
    public async ValueTask DisposeAsync()
    {
        Scheduler.Stop();
        await _services.DisposeAsync();
    }
}
