using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Hosting;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Retention;

/// <summary>
/// Deletes completed and dead jobs older than <see cref="JobServerOptions.Retention"/> allows, every
/// <see cref="JobRetentionOptions.Interval"/>. Each batch is its own transaction; a pass goes on batch by batch until
/// a batch comes back short, so a backlog (the first pass after an upgrade) drains without one long transaction.
/// Several servers on one PostgreSQL database prune side by side: a batch skips the rows another one holds.
/// </summary>
internal sealed partial class JobRetention(
    IJobControl store,
    IOptions<JobServerOptions> options,
    JobServerMetrics metrics,
    TimeProvider timeProvider,
    ILogger<JobRetention> logger) : BackgroundService
{
    /// <summary>One pass over the finished statuses.</summary>
    /// <returns>How many jobs were deleted.</returns>
    public async Task<int> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Retention;
        var pruned = 0;
        foreach (var (status, keep) in new[] { (JobStatuses.Completed, settings.Completed), (JobStatuses.Dead, settings.Dead), (JobStatuses.Cancelled, settings.Cancelled) })
        {
            if (keep <= TimeSpan.Zero)
            {
                continue;
            }

            var endedBefore = timeProvider.GetUtcNow() - keep;
            var count = 0;
            int batch;
            do
            {
                batch = await store.PruneAsync(status, endedBefore, settings.BatchSize, cancellationToken);
                count += batch;
            }
            while (batch == settings.BatchSize);

            if (count > 0)
            {
                metrics.JobsPruned(status, count);
                LogPruned(logger, count, status, keep);
            }

            pruned += count;
        }

        return pruned;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(
            options.Value.Retention.Interval,
            timeProvider,
            PruneOnceAsync,
            ex => LogPruneFailed(logger, ex),
            runAtStart: false,
            stoppingToken);
}
