using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Leases;

/// <summary>
/// Returns expired leases to the queue every LeaseSweepIntervalSeconds, so jobs of a dead bot
/// show as pending again. Claims sweep first only when a lease they know of may have run out
/// (LeaseExpiryWatch), so under load this is the sweep that counts.
/// </summary>
internal sealed partial class LeaseSweeper(
    IJobStore store,
    IOptions<JobServerOptions> options,
    TimeProvider timeProvider,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseSweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.SweepExpiredLeasesAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // One failed sweep must not end the loop; the next tick tries again.
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Sweeping expired job leases failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
