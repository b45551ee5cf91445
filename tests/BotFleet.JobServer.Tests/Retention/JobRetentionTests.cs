using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Retention;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.JobServer.Telemetry;
using BotFleet.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobServer.Tests.Retention;

/// <summary>A retention pass over a real SQLite store on a fake clock: which jobs go, in how many batches, what is said.</summary>
public sealed class JobRetentionTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _folder = new("botfleet-retention-");
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ServiceProvider _telemetry = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<JobRetention> _log = new();
    private readonly SqliteJobStore _store;

    public JobRetentionTests()
    {
        var options = new JobServerOptions { DatabasePath = _folder.File("jobs.db"), RetryBackoffJitter = 0 };
        _store = new SqliteJobStore(Microsoft.Extensions.Options.Options.Create(options), _time, NullLogger<SqliteJobStore>.Instance);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PruneOnce_DeletesCompletedJobsPastTheirRetentionInBatches_AndKeepsDeadOnesWhenToldTo()
    {
        var meters = _telemetry.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var pruned = new MetricCollector<long>(meters, JobServerMetrics.MeterName, "botfleet.jobs.pruned");
        var retention = Retention(new JobRetentionOptions { Completed = TimeSpan.FromDays(1), Dead = TimeSpan.Zero, BatchSize = 2 }, meters);
        await _store.InitializeAsync(Token);
        var bot = await _store.RegisterBotAsync(new BotRegistration("bot", "instance", "1", ["sum"], 10, "t", "r", Start.AddDays(30), null, null), Token);
        var old = await FinishAsync(bot.BotId, completed: 5, dead: 1);
        _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        var young = await FinishAsync(bot.BotId, completed: 1, dead: 0);
        _time.Advance(TimeSpan.FromMinutes(2));

        var count = await retention.PruneOnceAsync(Token);
        var again = await retention.PruneOnceAsync(Token);

        Assert.Equal((5, 0), (count, again));
        Assert.Equal(new StatusCounts(0, 0, 1, 1), (await _store.GetStatsAsync(Token)).Jobs);
        Assert.Equal(JobStatuses.Completed, (await _store.GetJobAsync(young[0], Token))!.Status);
        Assert.Equal(JobStatuses.Dead, (await _store.GetJobAsync(old[^1], Token))!.Status);
        var measurement = Assert.Single(pruned.GetMeasurementSnapshot());
        Assert.Equal((5L, "completed"), (measurement.Value, (string)measurement.Tags["status"]!));
        Assert.Equal("Pruned 5 completed job(s) older than 1.00:00:00", Assert.Single(_log.Collector.GetSnapshot()).Message);
    }

    public async ValueTask DisposeAsync()
    {
        _store.Dispose();
        await _telemetry.DisposeAsync();
        _folder.Dispose();
    }

    private JobRetention Retention(JobRetentionOptions retention, System.Diagnostics.Metrics.IMeterFactory meters) =>
        new(_store, Microsoft.Extensions.Options.Options.Create(new JobServerOptions { Retention = retention }), new JobServerMetrics(meters), _time, _log);

    /// <summary>Completes <paramref name="completed"/> jobs and fails <paramref name="dead"/> (one attempt each), in that order.</summary>
    private async Task<List<string>> FinishAsync(string botId, int completed, int dead)
    {
        var ids = await _store.SubmitAsync([.. Enumerable.Range(0, completed + dead).Select(_ => new NewJob("sum", "{}", JobPriority.Normal, 1, null, null))], Token);
        var claimed = await _store.ClaimAsync(botId, ["sum"], 100, null, Token);
        Assert.Equal(ids.Count, claimed!.Count);
        var reports = ids.Select((id, i) => i < completed ? JobReportCommand.Complete(id, "instance", "1") : JobReportCommand.Fail(id, "instance", "boom")).ToList();
        Assert.All(await _store.ReportAsync(reports, botId, Token), r => Assert.Equal(ReportResult.Accepted, r));
        return [.. ids];
    }
}
