using BotFleet.Contracts.Fleet;
using Microsoft.Extensions.Options;

namespace BotFleet.Silo.Hosting;

/// <summary>
/// Starts the configured bots once the application (silo and job server) has started.
/// Bots also come back on their own through their reminders; this makes a fresh start immediate.
/// </summary>
public sealed partial class ConfiguredBotsStarter(
    IGrainFactory grains,
    IOptions<FleetOptions> fleet,
    IHostApplicationLifetime lifetime,
    ILogger<ConfiguredBotsStarter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartedAsync(stoppingToken))
        {
            return;
        }

        var roster = grains.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
        foreach (var (key, bot) in fleet.Value.Bots)
        {
            try
            {
                await roster.StartBotAsync(key, bot.ToDefinition());
                LogBotStarted(key, bot.Operations, bot.MaxConcurrency);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogBotStartFailed(key, ex);
            }
        }
    }

    private async Task<bool> WaitForStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Started bot {BotKey} (ops {Operations}, max_concurrency {MaxConcurrency})")]
    private partial void LogBotStarted(string botKey, IReadOnlyList<string> operations, int maxConcurrency);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Could not start bot {BotKey}")]
    private partial void LogBotStartFailed(string botKey, Exception exception);
}
