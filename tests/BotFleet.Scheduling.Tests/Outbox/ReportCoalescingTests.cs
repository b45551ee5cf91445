using BotFleet.JobApi.Client;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Outbox;

/// <summary>
/// Live reports are coalesced: while one report call is on the wire, every report finished meanwhile
/// waits and goes out in the next POST /v1/jobs/reports, with its own outcome.
/// </summary>
public sealed class ReportCoalescingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Claims one quick job and <paramref name="held"/> held ones together. The quick job's report goes out
    /// alone and is held on the wire until every held job has finished; then the call is answered.
    /// </summary>
    private static async Task<BatchCall> RunBehindOneReportAsync(SchedulerHarness h, List<string> held)
    {
        var wire = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Api.ReportGate = wire.Task;
        h.Probe.HoldJobs = true;
        h.Api.Enqueue("sum", new { a = 1, b = 2 }, "job_first");
        foreach (var id in held)
        {
            h.Api.Enqueue("probe", new { id }, id);
        }

        var tick = await h.Scheduler.TickAsync(Ct);
        Assert.Equal(held.Count + 1, tick.JobsStarted);
        await Eventually.TrueAsync(() => h.Api.Calls.OfType<ReportCall>().Any(), "the first report on the wire");
        await h.Probe.WaitForStartedAsync(held.Count);
        h.Probe.ReleaseAll();
        await Eventually.TrueAsync(() => h.Scheduler.GetStatus() is { JobsCompleted: var c, JobsFailed: var f } && c + f == held.Count + 1, "every job finished");
        wire.SetResult();
        await h.DrainAsync();

        var reportCalls = h.Api.Calls.Where(c => c is ReportCall or BatchCall).ToList();
        Assert.Equal(2, reportCalls.Count);
        Assert.Equal("job_first", Assert.IsType<ReportCall>(reportCalls[0]).JobId);
        return Assert.IsType<BatchCall>(reportCalls[1]);
    }

    private static List<string> Ids(int count) => [.. Enumerable.Range(0, count).Select(i => $"job_{i:D3}")];

    [Fact]
    public async Task ReportsFinishedWhileOneCallIsOnTheWire_GoOutTogetherInOneBatch()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 100, claimBatchSize: 100);
        h.Api.OffersBatchReports = true;
        var held = Ids(99);

        var batch = await RunBehindOneReportAsync(h, held);

        // The 99 reports finished while the first was on the wire travel in one call, each once.
        Assert.Equal(99, batch.Count);
        Assert.Equal(held, batch.JobIds.Order(StringComparer.Ordinal));
        Assert.Equal([.. held, "job_first"], h.Api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        Assert.All(h.Api.Accepted, r => Assert.Equal(("complete", h.Scheduler.InstanceId), (r.Action, r.InstanceId)));
        Assert.Equal(0, h.Scheduler.InFlight);
        Assert.Empty(h.Scheduler.PendingReports);
    }

    [Fact]
    public async Task OneSaveForTheClaimedBatchAndOnePerSettledReportBatch_AndNoFinishedJobStaysRecordedAsRunning()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 100, claimBatchSize: 100);
        h.Api.OffersBatchReports = true;

        await RunBehindOneReportAsync(h, Ids(99));

        // The claim's save records 100 running jobs; each of the two report calls settles with one save.
        Assert.Equal(3, h.Store.SaveCount);
        Assert.Empty(h.Store.Durable.Running!);
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task EachReportInACoalescedBatchKeepsItsOwnOutcome_RefusedOnesAreDroppedNotRetried()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 10, claimBatchSize: 10);
        h.Api.OffersBatchReports = true;
        var held = Ids(9);
        h.Api.ReportAnswer = r => r.JobId switch
        {
            "job_003" or "job_007" => ReportDelivery.Conflict,
            "job_005" => ReportDelivery.NotFound,
            _ => ReportDelivery.Accepted,
        };

        await RunBehindOneReportAsync(h, held);
        var next = await h.TickAndDrainAsync();

        Assert.Equal(["job_000", "job_001", "job_002", "job_004", "job_006", "job_008", "job_first"], h.Api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        Assert.Equal(3, h.Scheduler.GetStatus().ReportsDropped);
        Assert.Empty(h.Scheduler.PendingReports);
        // Nothing is sent again: the next tick is one claim and no report.
        Assert.Equal(TickOutcome.Idle, next.Outcome);
        Assert.Equal(2, h.Api.Calls.Count(c => c is ReportCall or BatchCall));
    }

    [Fact]
    public async Task ACoalescedBatchTheServerCannotTakeNow_IsKeptInTheOutboxInItsOrder_AndDeliveredBeforeTheNextClaim()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 10, claimBatchSize: 10);
        h.Api.OffersBatchReports = true;
        h.Api.BatchFault = _ => FakeJobApi.Unreachable();
        var batch = await RunBehindOneReportAsync(h, Ids(9));

        // Kept in the order the call carried them, durably, and their slots are free again.
        Assert.Equal(batch.JobIds, h.Store.Durable.Pending.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Running!);
        Assert.Equal(10, h.Scheduler.FreeSlots);
        Assert.Equal(["job_first"], h.Api.Accepted.Select(r => r.JobId));

        h.Api.BatchFault = _ => null;
        h.Api.ClearCalls();
        await h.TickAndDrainAsync();

        Assert.Equal(["job_first", .. batch.JobIds], h.Api.Accepted.Select(r => r.JobId));
        Assert.IsType<BatchCall>(h.Api.Calls[0]);
        Assert.IsType<ClaimCall>(h.Api.Calls[1]);
        Assert.Empty(h.Store.Durable.Pending);
    }
}
