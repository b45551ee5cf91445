using BotFleet.JobServer.Hosting;
using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Leases;

/// <summary>
/// Returns expired leases to the queue every LeaseSweepInterval, so jobs of a dead bot
/// show as pending again. Claims sweep first only when a lease they know of may have run out
/// (LeaseExpiryWatch), so under load this is the sweep that counts.
/// </summary>
internal sealed partial class LeaseSweeper(
    IJobQueue store,
    IOptions<JobServerOptions> options,
    TimeProvider timeProvider,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(
            options.Value.LeaseSweepInterval,
            timeProvider,
            store.SweepExpiredLeasesAsync,
            ex => LogSweepFailed(logger, ex),
            runAtStart: false,
            stoppingToken);
}
