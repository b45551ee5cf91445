using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Outbox;

/// <summary>The outbox's high-water mark and batched flushing.</summary>
public sealed class OutboxLimitsTests
{
    private static IEnumerable<JobReport> Reports(int count, string prefix = "job") =>
        Enumerable.Range(0, count).Select(i => JobReport.Complete($"{prefix}_{i:D4}", "inst", $$"""{"i":{{i}}}"""));

    [Fact]
    public async Task BelowTheHighWaterMark_AFailedFlushKeepsTheReportsYetTheBotStillClaims_AndBacksOff()
    {
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot([.. Reports(3)], []), options: new SchedulerOptions { OutboxHighWaterMark = 4 });
        h.Api.ReportFault = r => r.JobId.StartsWith("job_", StringComparison.Ordinal) ? FakeJobApi.Unreachable() : null;
        var id = h.Api.Enqueue("sum", new { a = 1, b = 1 }, "new_job");

        var result = await h.TickAndDrainAsync();

        Assert.Equal(new TickResult(TickOutcome.OutboxBlocked, 1), result);
        Assert.Single(h.Api.Claims);
        // The new result queues behind the undelivered ones: four kept, in order.
        Assert.Equal(["job_0000", "job_0001", "job_0002", id], h.Store.Durable.Pending.Select(r => r.JobId));
    }

    [Fact]
    public async Task AtTheHighWaterMark_TheBotClaimsNothingUntilTheOutboxDrains()
    {
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot([.. Reports(4)], []), options: new SchedulerOptions { OutboxHighWaterMark = 4 });
        h.Api.ReportFault = _ => FakeJobApi.ServerError(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(9));
        var id = h.Api.Enqueue("sum", new { a = 1, b = 1 });

        var blocked = await h.TickAndDrainAsync();
        h.Api.ReportFault = _ => null;
        var drained = await h.TickAndDrainAsync();

        Assert.Equal(new TickResult(TickOutcome.OutboxBlocked, 0, TimeSpan.FromSeconds(9)), blocked);
        Assert.Equal(TickOutcome.Claimed, drained.Outcome);
        Assert.Single(h.Api.Claims);
        Assert.Equal([.. Reports(4).Select(r => r.JobId), id], h.Api.Accepted.Select(r => r.JobId));
    }

    [Fact]
    public async Task Flush_ServerOffersBatchReports_SendsTheOutboxInBatchesOf100InOrder()
    {
        var kept = Reports(250).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []));
        h.Api.OffersBatchReports = true;

        await h.TickAndDrainAsync();

        Assert.Equal([100, 100, 50], h.Api.Calls.OfType<BatchCall>().Select(b => b.Count));
        Assert.Empty(h.Api.Calls.OfType<ReportCall>());
        Assert.Equal(kept.Select(r => r.JobId), h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task Flush_BatchItemsRefused_AreDroppedAndCounted_TheRestDelivered()
    {
        var kept = Reports(5).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []));
        h.Api.OffersBatchReports = true;
        h.Api.ReportAnswer = r => r.JobId switch
        {
            "job_0001" => ReportDelivery.Conflict,
            "job_0003" => ReportDelivery.NotFound,
            _ => ReportDelivery.Accepted,
        };

        await h.TickAndDrainAsync();

        Assert.Equal(["job_0000", "job_0002", "job_0004"], h.Api.Accepted.Select(r => r.JobId));
        Assert.Equal(2, h.Scheduler.GetStatus().ReportsDropped);
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task Flush_SecondBatchFailsTransiently_TheFirstIsDeliveredAndTheRestKeptInOrder()
    {
        var kept = Reports(250).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []));
        h.Api.OffersBatchReports = true;
        var batches = 0;
        h.Api.BatchFault = _ => ++batches == 2 ? FakeJobApi.ServerError(HttpStatusCode.ServiceUnavailable) : null;

        var result = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.OutboxBlocked, result.Outcome);
        Assert.Equal(kept.Take(100).Select(r => r.JobId), h.Api.Accepted.Select(r => r.JobId));
        Assert.Equal(kept.Skip(100), h.Store.Durable.Pending);
    }

    [Fact]
    public async Task Flush_ServerWithoutBatchReports_FallsBackToOneByOneAndStaysThere()
    {
        var kept = Reports(3).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []));

        await h.TickAndDrainAsync();
        h.Api.OffersBatchReports = true;
        h.Api.EnqueueRaw(new { id = "job_x", op = "boom", payload = new { } });
        h.Api.ReportFault = r => r.JobId == "job_x" ? FakeJobApi.Unreachable() : null;
        await h.TickAndDrainAsync();
        h.Api.ReportFault = _ => null;
        await h.TickAndDrainAsync();

        Assert.Empty(h.Api.Calls.OfType<BatchCall>());
        Assert.Equal([.. kept.Select(r => r.JobId), "job_x"], h.Api.Accepted.Select(r => r.JobId));
    }

    [Fact]
    public async Task Flush_CorruptReportInABatch_IsQuarantinedAndTheOthersGoOut()
    {
        var kept = new List<JobReport>(Reports(2)) { JobReport.Complete("job_bad", "inst", "{oops") };
        kept.AddRange(Reports(2, "late"));
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []));
        h.Api.OffersBatchReports = true;

        await h.TickAndDrainAsync();

        Assert.Equal(["job_0000", "job_0001", "late_0000", "late_0001"], h.Api.Accepted.Select(r => r.JobId));
        Assert.Equal("job_bad", Assert.Single(h.Store.Durable.Quarantined).Report.JobId);
        Assert.Equal([4], h.Api.Calls.OfType<BatchCall>().Select(b => b.Count));
    }

    [Fact]
    public async Task Flush_AReportTheServerAnswers500ToEveryTime_IsQuarantinedAtTheThreshold_AndTheRestGoOut()
    {
        var kept = Reports(3).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []), options: new SchedulerOptions { PoisonReportThreshold = 3 });
        h.Api.ReportFault = r => r.JobId == "job_0000" ? FakeJobApi.ServerError() : null;

        var first = await h.TickAndDrainAsync();
        var second = await h.TickAndDrainAsync();
        var third = await h.TickAndDrainAsync();

        Assert.Equal([TickOutcome.OutboxBlocked, TickOutcome.OutboxBlocked, TickOutcome.Idle], [first.Outcome, second.Outcome, third.Outcome]);
        Assert.Equal(["job_0001", "job_0002"], h.Api.Accepted.Select(r => r.JobId));
        var quarantined = Assert.Single(h.Store.Durable.Quarantined);
        Assert.Equal(kept[0], quarantined.Report);
        Assert.Equal("undeliverable: the server answered 500 to it 3 times in a row (job API answered 500)", quarantined.Reason);
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(null)]
    public async Task Flush_LaterOrNoAnswer_NeverMakesAReportPoison(HttpStatusCode? status)
    {
        var kept = Reports(2).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []), options: new SchedulerOptions { PoisonReportThreshold = 2 });
        h.Api.ReportFault = r => r.JobId == "job_0000" ? (status is { } code ? FakeJobApi.ServerError(code) : FakeJobApi.Unreachable()) : null;

        for (var i = 0; i < 6; i++)
        {
            await h.TickAndDrainAsync();
        }

        // Nothing changed, so nothing was saved: the state the bot started from (all kept, none quarantined) stands.
        Assert.Equal(0, h.Store.SaveCount);
        Assert.Empty(h.Scheduler.QuarantinedReports);
        Assert.Empty(h.Api.Accepted);
        Assert.Equal(kept, h.Scheduler.PendingReports);
    }

    [Fact]
    public async Task Flush_ABatchFailingWith500_IsRetriedOneByOne_SoOnlyTheBadReportWaits()
    {
        var kept = Reports(4).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(kept, []), options: new SchedulerOptions { PoisonReportThreshold = 2 });
        h.Api.OffersBatchReports = true;
        h.Api.BatchFault = items => items.Any(i => i.JobId == "job_0001") ? FakeJobApi.ServerError() : null;
        h.Api.ReportFault = r => r.JobId == "job_0001" ? FakeJobApi.ServerError() : null;

        await h.TickAndDrainAsync();
        var afterFirst = h.Api.Accepted.Select(r => r.JobId).ToList();
        await h.TickAndDrainAsync();

        Assert.Equal(["job_0000"], afterFirst);
        Assert.Equal(["job_0000", "job_0002", "job_0003"], h.Api.Accepted.Select(r => r.JobId));
        Assert.Equal("job_0001", Assert.Single(h.Store.Durable.Quarantined).Report.JobId);
    }
}
