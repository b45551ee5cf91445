using System.Collections.Immutable;
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
        foreach (var chunk in fleet.Value.Bots.Chunk(StartChunk))
        {
            var bots = chunk.ToImmutableDictionary(b => b.Key, b => b.Value.ToDefinition(), StringComparer.Ordinal);
            try
            {
                var failed = await roster.StartBotsAsync(bots);
                foreach (var (key, bot) in chunk.Where(b => !failed.Contains(b.Key)))
                {
                    LogBotStarted(key, bot.Operations, bot.MaxConcurrency);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                foreach (var (key, _) in chunk)
                {
                    LogBotStartFailed(key, ex);
                }
            }
        }
    }

    /// <summary>
    /// Bots started per call to the roster: one roster write each (10,000 bots one by one rewrote the growing roster
    /// 10,000 times), while the roster stays free for other calls between chunks.
    /// </summary>
    internal const int StartChunk = 250;

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

    // A bot the roster could not start is logged by the roster with its reason; this is for a roster out of reach.
}
