using System.Diagnostics.Metrics;
using BotFleet.JobServer.Hosting;
using BotFleet.JobServer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Telemetry;

/// <summary>
/// Gauges of the queue on the job server's meter: jobs per status and operation, and the age of the oldest pending
/// job per operation. Observable instruments are read synchronously, and the store answers asynchronously, so a
/// snapshot is taken every <see cref="RefreshInterval"/> and the gauges report the latest one. Added only when an
/// exporter is configured; a host without a job store (a silo using a remote server) takes no snapshot.
/// </summary>
internal sealed partial class JobQueueGauges : BackgroundService
{
    /// <summary>How often the snapshot is taken: two cheap reads (the status counts and one scan of the pending jobs).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);

    private readonly IJobCatalog? _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<JobQueueGauges> _logger;

    // One refresh at a time: a refresh that began earlier and answered later would replace a newer snapshot.
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Snapshot _snapshot = new(new Dictionary<string, StatusCounts>(), new Dictionary<string, DateTimeOffset>(), DateTimeOffset.MinValue);

    public JobQueueGauges(IServiceProvider services, IMeterFactory meterFactory, TimeProvider timeProvider, ILogger<JobQueueGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _store = services.GetService<IJobCatalog>();
        _timeProvider = timeProvider;
        _logger = logger;
        var meter = meterFactory.Create(JobServerMetrics.MeterName);
        meter.CreateObservableGauge("botfleet.jobs.count", ObserveCounts, "{job}", "Jobs per status and operation (tags status, op), as of the latest snapshot.");
        meter.CreateObservableGauge("botfleet.queue.oldest_pending_age", ObserveOldestPendingAge, "s", "Age of the oldest pending job per operation (tag op) at the latest snapshot.");
    }

    /// <summary>Takes a new snapshot now.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var stats = await _store.GetStatsAsync(cancellationToken);
            var oldest = await _store.GetOldestPendingAsync(cancellationToken);
            _snapshot = new Snapshot(stats.ByOp, oldest, _timeProvider.GetUtcNow());
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public override void Dispose()
    {
        _refreshing.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _store is null
            ? Task.CompletedTask
            // The gauges keep the last snapshot when a refresh fails; the next interval tries again.
            : PeriodicWork.RunAsync(RefreshInterval, _timeProvider, RefreshAsync, ex => LogRefreshFailed(_logger, ex), runAtStart: true, stoppingToken);

    private IEnumerable<Measurement<long>> ObserveCounts()
    {
        foreach (var (op, counts) in _snapshot.ByOp)
        {
            yield return Count(counts.Pending, "pending", op);
            yield return Count(counts.Leased, "leased", op);
            yield return Count(counts.Completed, "completed", op);
            yield return Count(counts.Dead, "dead", op);
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldestPendingAge()
    {
        var snapshot = _snapshot;
        foreach (var (op, submitted) in snapshot.OldestPending)
        {
            yield return new Measurement<double>(Math.Max(0, (snapshot.TakenAt - submitted).TotalSeconds), new KeyValuePair<string, object?>("op", op));
        }
    }

    private static Measurement<long> Count(long value, string status, string op) =>
        new(value, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("op", op));

    private sealed record Snapshot(IReadOnlyDictionary<string, StatusCounts> ByOp, IReadOnlyDictionary<string, DateTimeOffset> OldestPending, DateTimeOffset TakenAt);
}
