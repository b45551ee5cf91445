using System.Diagnostics.Metrics;
using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>What the bots' meter records for claims, jobs and reports, read by collectors on a meter of the test's own.</summary>
public sealed class SchedulerMetricsTests : IDisposable
{
    private readonly ServiceProvider _telemetry = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _telemetry.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task ATick_RecordsTheClaimEachJobsOutcomeAndEachReportsResult()
    {
        using var claims = Collector<double>("botfleet.bot.claim.duration");
        using var claimed = Collector<long>("botfleet.bot.jobs.claimed");
        using var running = Collector<long>("botfleet.bot.jobs.running");
        using var finished = Collector<long>("botfleet.bot.jobs.finished");
        using var reports = Collector<long>("botfleet.bot.reports");
        await using var h = new SchedulerHarness(metrics: new SchedulerMetrics(Meters));
        h.Api.Enqueue("sum", new { a = 1, b = 2 }, "job_1");
        h.Api.Enqueue("sum", new { a = 3, b = 4 }, "job_2");
        h.Api.Enqueue("boom", new { }, "job_3");
        h.Api.ReportAnswer = call => call.JobId == "job_2" ? ReportDelivery.Conflict : ReportDelivery.Accepted;

        await h.TickAndDrainAsync();

        Assert.Equal("jobs", Assert.Single(claims.GetMeasurementSnapshot()).Tags["outcome"]);
        Assert.Equal(3, claimed.GetMeasurementSnapshot().Sum(m => m.Value));
        // Each job took a slot and gave it back: three +1 and three -1, none left running.
        Assert.Equal([-1, -1, -1, 1, 1, 1], running.GetMeasurementSnapshot().Select(m => m.Value).Order());
        Assert.Equal(
            [("boom", "failed"), ("sum", "completed"), ("sum", "completed")],
            finished.GetMeasurementSnapshot().Select(m => ((string)m.Tags["op"]!, (string)m.Tags["outcome"]!)).Order());
        Assert.Equal(["accepted", "accepted", "conflict"], reports.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!).Order());
    }

    [Fact]
    public async Task EachTick_IsTimedWithWhatItDid()
    {
        using var ticks = Collector<double>("botfleet.bot.tick.duration");
        await using var h = new SchedulerHarness(claimBatchSize: 2, metrics: new SchedulerMetrics(Meters));
        h.Api.Enqueue("sum", new { a = 1, b = 2 });
        h.Api.Enqueue("sum", new { a = 3, b = 4 });
        h.Api.Enqueue("sum", new { a = 5, b = 6 });

        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();
        h.Api.ClaimFault = _ => FakeJobApi.Unreachable();
        await h.TickAndDrainAsync();

        // On the fake clock a tick takes no time; what it did is the tag.
        Assert.Equal(
            [("claimed_full_batch", 0.0), ("claimed", 0.0), ("idle", 0.0), ("claim_failed", 0.0)],
            ticks.GetMeasurementSnapshot().Select(m => ((string)m.Tags["outcome"]!, m.Value)));
    }

    [Fact]
    public async Task AClaimAnswered429_IsCountedAsThrottledAndAsAFailedClaim()
    {
        using var claims = Collector<double>("botfleet.bot.claim.duration");
        using var throttled = Collector<long>("botfleet.bot.throttled");
        await using var h = new SchedulerHarness(metrics: new SchedulerMetrics(Meters));
        h.Api.Enqueue("sum", new { a = 1, b = 2 }, "job_1");
        h.Api.ClaimFault = _ => new JobApiException("job API answered 429", HttpStatusCode.TooManyRequests, isTransient: true, TimeSpan.FromSeconds(1));

        await h.TickAndDrainAsync();

        Assert.Equal(1, Assert.Single(throttled.GetMeasurementSnapshot()).Value);
        Assert.Equal("failed", Assert.Single(claims.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task AHeartbeat_CountsTheLeasesTheServerExtendedAndTheOnesItDidNot()
    {
        using var extended = Collector<long>("botfleet.bot.leases.extended");
        using var notExtended = Collector<long>("botfleet.bot.leases.not_extended");
        await using var h = new SchedulerHarness(metrics: new SchedulerMetrics(Meters));
        h.Probe.HoldJobs = true;
        h.Api.Enqueue("probe", new { id = "a" }, "job_a");
        h.Api.Enqueue("probe", new { id = "b" }, "job_b");
        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, Leases: [new JobLease("job_a", DateTimeOffset.UnixEpoch.AddMinutes(5))]);
        await h.Scheduler.TickAsync(TestContext.Current.CancellationToken);
        await h.Probe.WaitForStartedAsync(2);

        Assert.Equal(HeartbeatOutcome.Delivered, await h.Scheduler.HeartbeatAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, Assert.Single(extended.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, Assert.Single(notExtended.GetMeasurementSnapshot()).Value);
        h.Probe.ReleaseAll();
        await h.DrainAsync();
    }

    [Fact]
    public async Task TheOutboxGauge_AddsUpTheTrackedBotsOutboxes_UntilTheyAreForgotten()
    {
        using var outbox = Collector<long>("botfleet.bot.outbox.size");
        var metrics = new SchedulerMetrics(Meters);
        await using var h = new SchedulerHarness(metrics: metrics);
        h.Api.ReportFault = _ => new JobApiException("job API answered 503", HttpStatusCode.ServiceUnavailable, isTransient: true);
        for (var i = 0; i < 3; i++)
        {
            h.Api.Enqueue("sum", new { a = i, b = 1 }, $"job_{i}");
        }

        metrics.Track(h.Scheduler);
        await h.TickAndDrainAsync();
        outbox.RecordObservableInstruments();
        var tracked = outbox.LastMeasurement?.Value;
        metrics.Forget(h.Scheduler);
        outbox.RecordObservableInstruments();

        Assert.Equal(3, h.Scheduler.OutboxCount);
        Assert.Equal(3, tracked);
        Assert.Equal(0, outbox.LastMeasurement?.Value);
    }

    [Fact]
    public async Task TheFreeSlotsGauge_AddsUpTheTrackedBotsFreeSlots()
    {
        using var free = Collector<long>("botfleet.bot.slots.free");
        var metrics = new SchedulerMetrics(Meters);
        await using var busy = new SchedulerHarness(maxConcurrency: 4, metrics: metrics);
        await using var idle = new SchedulerHarness(maxConcurrency: 3, metrics: metrics, botKey: "bot-key-2");
        busy.Probe.HoldJobs = true;
        busy.Api.Enqueue("probe", new { i = 0 });
        await busy.Scheduler.TickAsync(TestContext.Current.CancellationToken);
        await busy.Probe.WaitForStartedAsync(1);

        metrics.Track(busy.Scheduler);
        metrics.Track(idle.Scheduler);
        free.RecordObservableInstruments();

        Assert.Equal((3, 3), (busy.Scheduler.FreeSlots, idle.Scheduler.FreeSlots));
        Assert.Equal(6, free.LastMeasurement?.Value);
    }

    public void Dispose() => _telemetry.Dispose();

    private MetricCollector<T> Collector<T>(string instrument)
        where T : struct => new(Meters, SchedulerMetrics.MeterName, instrument);
}
