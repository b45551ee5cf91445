using BotFleet.JobServer.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Storage.PostgreSql;

/// <summary>
/// On PostgreSQL, folds the status-count change rows every <see cref="Interval"/>. Under full load the jobs triggers
/// append a few rows per claim and report batch, so between folds stats add up a few thousand rows at most.
/// Every server sharing the database folds; that is harmless (see <see cref="PostgreSqlJobStore.FoldStatusCountsAsync"/>).
/// Does nothing on SQLite, whose counts are exact rows.
/// </summary>
internal sealed partial class PostgreSqlStatusCountFolding(
    IServiceProvider services,
    IOptions<JobServerOptions> options,
    TimeProvider timeProvider,
    ILogger<PostgreSqlStatusCountFolding> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Store != JobStoreKind.PostgreSql || services.GetRequiredService<IJobStore>() is not PostgreSqlJobStore store
            ? Task.CompletedTask
            // Unfolded rows only make stats a little slower; the next tick tries again.
            : PeriodicWork.RunAsync(Interval, timeProvider, store.FoldStatusCountsAsync, ex => LogFoldFailed(logger, ex), runAtStart: false, stoppingToken);
}
