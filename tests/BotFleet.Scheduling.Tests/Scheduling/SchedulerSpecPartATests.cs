using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>docs/scheduler-behaviour.md part A: the behaviour the old suite covered, one test per line.</summary>
public sealed class SchedulerSpecPartATests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A1_TickWithNoJobs_ClaimsWithExactlyBotIdOperationsAndBatchSizeAndDoesNothingElse()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 20, claimBatchSize: 7);
        // The server assigns less than the bot offers (and one operation it does not offer): the claim asks for the overlap.
        h.Api.AssignedOperations = ["echo", "sum", "not-offered"];
        string[] assigned = ["sum", "echo"];

        var result = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.Idle, result.Outcome);
        var calls = h.Api.Calls;
        Assert.Equal(2, calls.Count);
        Assert.IsType<RegisterCall>(calls[0]);
        var claim = Assert.IsType<ClaimCall>(calls[1]);
        Assert.Equal("bot_test", claim.BotId);
        Assert.Equal(assigned, claim.Operations);
        Assert.Equal(7, claim.Limit);
        Assert.Equal(0, h.Store.SaveCount);
        Assert.Equal(0, h.Scheduler.InFlight);
        Assert.Equal(20, h.Scheduler.FreeSlots);

        // A second empty tick is exactly one more claim: no re-registration, no reports.
        h.Api.ClearCalls();
        await h.TickAndDrainAsync();
        var again = Assert.IsType<ClaimCall>(Assert.Single(h.Api.Calls));
        Assert.Equal(("bot_test", 7), (again.BotId, again.Limit));
        Assert.Equal(assigned, again.Operations);
    }

    [Fact]
    public async Task A2_TickWithJobs_RunsEachThroughTheRegistryAndReportsCompleteWithInstanceIdAndResult()
    {
        await using var h = new SchedulerHarness();
        var sum = h.Api.Enqueue("sum", new { a = 42, b = 58 }, "job_sum");
        var echo = h.Api.Enqueue("echo", new { text = "hi", n = 1 }, "job_echo");

        var result = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.Claimed, result.Outcome);
        Assert.Equal(2, result.JobsStarted);
        var reports = h.Api.Accepted.OrderBy(r => r.JobId).ToList();
        Assert.Equal(
            [
                new ReportCall(echo, "complete", h.Scheduler.InstanceId, """{"text":"hi","n":1}""", null),
                new ReportCall(sum, "complete", h.Scheduler.InstanceId, """{"value":100}""", null),
            ],
            reports);
        Assert.True(Guid.TryParse(h.Scheduler.InstanceId, out _));
        Assert.Empty(h.Scheduler.PendingReports);
    }

    [Fact]
    public async Task A3_ConcurrencyLimit_NeverMoreThanMaxConcurrencyJobsExecutingAtOnce()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 3, claimBatchSize: 10);
        h.Probe.HoldJobs = true;
        for (var i = 0; i < 12; i++)
        {
            h.Api.Enqueue("probe", new { i });
        }

        // Held jobs fill the three slots; further ticks must find no room and claim nothing.
        var first = await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(3);
        var second = await h.Scheduler.TickAsync(Ct);

        Assert.Equal(TickOutcome.ClaimedFullBatch, first.Outcome);
        Assert.Equal(3, first.JobsStarted);
        Assert.Equal(TickOutcome.Busy, second.Outcome);
        Assert.Equal([3], h.Api.Claims.Select(c => c.Limit));
        Assert.Equal(3, h.Probe.Running);

        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.RunUntilQueueEmptyAsync();

        Assert.Equal(3, h.Probe.Peak);
        Assert.Equal(3, h.Scheduler.PeakInFlight);
        Assert.Equal(12, h.Probe.Started.Distinct().Count());
        Assert.Equal(12, h.Api.Accepted.Count);
        Assert.All(h.Api.Claims, c => Assert.InRange(c.Limit, 1, 3));
    }

    [Fact]
    public async Task A4_SlotReleaseOnCrash_ThrowingHandlerFreesItsSlotAndCapacityIsWholeAfterwards()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 2, claimBatchSize: 2);
        h.Api.Enqueue("boom", new { });
        h.Api.Enqueue("boom", new { });

        await h.TickAndDrainAsync();

        Assert.Equal(0, h.Scheduler.InFlight);
        Assert.Equal(2, h.Scheduler.FreeSlots);

        // Whole capacity: the next claim asks for both slots again.
        await h.TickAndDrainAsync();
        Assert.Equal([2, 2], h.Api.Claims.Select(c => c.Limit));
    }

    [Fact]
    public async Task A5_JobFailure_ThrowingHandlerIsReportedFailWithInstanceIdAndTheExceptionMessage()
    {
        await using var h = new SchedulerHarness();
        var id = h.Api.Enqueue("boom", new { x = 1 });

        await h.TickAndDrainAsync();

        Assert.Equal([new ReportCall(id, "fail", h.Scheduler.InstanceId, null, $"handler exploded on {id}")], h.Api.Accepted);
        Assert.Equal(1, h.Scheduler.GetStatus().JobsFailed);
    }

    [Fact]
    public async Task A6_ReportFailure_ExactUndeliveredReportGoesToTheDurableOutbox()
    {
        await using var h = new SchedulerHarness();
        var completed = h.Api.Enqueue("sum", new { a = 1, b = 2 });
        var failed = h.Api.Enqueue("boom", new { });
        h.Api.ReportFault = _ => FakeJobApi.ServerError(System.Net.HttpStatusCode.ServiceUnavailable);

        await h.TickAndDrainAsync();

        var expected = new[]
        {
            JobReport.Complete(completed, h.Scheduler.InstanceId, """{"value":3}"""),
            JobReport.Fail(failed, h.Scheduler.InstanceId, $"handler exploded on {failed}"),
        };
        Assert.Equal(expected, h.Store.Durable.Pending.OrderBy(r => r.Kind));
        Assert.Equal(expected, h.Scheduler.PendingReports.OrderBy(r => r.Kind));
        Assert.Empty(h.Api.Accepted);
        Assert.Equal(0, h.Scheduler.InFlight);
    }

    [Fact]
    public async Task A7_OutboxFlushSuccess_PendingReportsAreDeliveredInOrderBeforeTheNextClaim()
    {
        var pending = Enumerable.Range(1, 5).Select(i => JobReport.Complete($"job_old{i}", "old-instance", $$"""{"value":{{i}}}""")).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(pending, []));

        await h.TickAndDrainAsync();

        var calls = h.Api.Calls;
        var reportCalls = calls.Skip(1).Take(5).ToList();
        Assert.Equal(pending.Select(p => new ReportCall(p.JobId, "complete", "old-instance", p.ResultJson, null)), reportCalls);
        Assert.IsType<ClaimCall>(calls[6]);
        Assert.Equal(7, calls.Count);
        Assert.Empty(h.Scheduler.PendingReports);
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task A8_OutboxFlushPartialFailure_FailsFastAndKeepsTheFailedReportAndEveryLaterOneInOrder()
    {
        var pending = Enumerable.Range(1, 6).Select(i => JobReport.Fail($"job_{i}", "inst", $"error {i}")).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(pending, []));
        h.Api.ReportFault = r => r.JobId == "job_3" ? FakeJobApi.Unreachable() : null;

        var result = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.OutboxBlocked, result.Outcome);
        Assert.Equal(["job_1", "job_2"], h.Api.Accepted.Select(r => r.JobId));
        // Fail-fast: nothing after job_3 was even tried.
        Assert.Equal(["job_1", "job_2", "job_3"], h.Api.Calls.OfType<ReportCall>().Select(r => r.JobId));
        Assert.Equal(pending.Skip(2), h.Scheduler.PendingReports);
        Assert.Equal(pending.Skip(2), h.Store.Durable.Pending);

        // Once the server recovers, the rest go out in order.
        h.Api.ReportFault = _ => null;
        await h.TickAndDrainAsync();
        Assert.Equal(pending.Select(p => p.JobId), h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task A9_JobTimeout_HandlerExceedingItsOpTimeoutIsCancelledAndReportedFailWithATimeoutError()
    {
        await using var h = new SchedulerHarness();
        var id = h.Api.Enqueue("hang", new { });

        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(1);
        h.Time.Advance(SchedulerHarness.HangTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, h.Scheduler.InFlight);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        await h.DrainAsync();

        Assert.Equal([new ReportCall(id, "fail", h.Scheduler.InstanceId, null, "timeout: op=hang exceeded its timeout of 5s")], h.Api.Accepted);
        Assert.Equal(0, h.Scheduler.InFlight);
    }

    [Fact]
    public async Task A10_LargeBatch_100JobsInOneClaimAllRunOnceWithinTheLimitAnd100Reports()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 100, claimBatchSize: 100);
        h.Probe.HoldJobs = true;
        var ids = Enumerable.Range(0, 100).Select(i => h.Api.Enqueue("probe", new { i })).ToList();

        var result = await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(100);
        h.Probe.ReleaseAll();
        await h.DrainAsync();

        Assert.Equal(TickOutcome.ClaimedFullBatch, result.Outcome);
        Assert.Equal(100, result.JobsStarted);
        Assert.Single(h.Api.Claims);
        Assert.Equal(ids.Order(), h.Probe.Started.Order());
        Assert.Equal(100, h.Probe.Peak);
        Assert.Equal(100, h.Api.Accepted.Count);
        Assert.Equal(ids.Order(), h.Api.Accepted.Select(r => r.JobId).Order());
        Assert.All(h.Api.Accepted, r => Assert.Equal("complete", r.Action));
    }
}
