using System.Net;
using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>docs/scheduler-behaviour.md part C: each known defect of the old design, proven absent.</summary>
public sealed class SchedulerSpecPartCTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task C1_OutboxDrain_MoreThan1000Reports_DeliversEveryOneAndLosesNone()
    {
        var pending = Enumerable.Range(0, 2_500).Select(i => JobReport.Complete($"job_{i:D5}", "inst", $$"""{"i":{{i}}}""")).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(pending, []));

        await h.TickAndDrainAsync();

        Assert.Equal(pending.Select(p => p.JobId), h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Scheduler.PendingReports);
        Assert.Empty(h.Store.Durable.Pending);
        Assert.Single(h.Api.Claims);
    }

    [Fact]
    public async Task C2_PartialFlush_KeepsEveryReportAfterTheFailedOne_NotOnlyTheFailedItem()
    {
        var pending = Enumerable.Range(0, 1_500).Select(i => JobReport.Fail($"job_{i:D4}", "inst", $"e{i}")).ToList();
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(pending, []));
        h.Api.ReportFault = r => r.JobId == "job_0001" ? FakeJobApi.ServerError() : null;

        await h.TickAndDrainAsync();

        Assert.Equal(["job_0000"], h.Api.Accepted.Select(r => r.JobId));
        Assert.Equal(1_499, h.Store.Durable.Pending.Count);
        Assert.Equal(pending.Skip(1), h.Store.Durable.Pending);

        h.Api.ReportFault = _ => null;
        await h.TickAndDrainAsync();

        // Every report delivered exactly once, in the original order.
        Assert.Equal(pending.Select(p => p.JobId), h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task C3_CorruptOutboxEntry_IsQuarantinedAndNeverCrashesLaterFlushes()
    {
        var corrupt = JobReport.Complete("job_bad", "inst", "{not json");
        var pending = new[]
        {
            JobReport.Complete("job_a", "inst", "1"),
            corrupt,
            JobReport.Fail("job_b", "inst", "e"),
        };
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot(pending, []));

        var first = await h.TickAndDrainAsync();
        var second = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.Idle, first.Outcome);
        Assert.Equal(TickOutcome.Idle, second.Outcome);
        Assert.Equal(["job_a", "job_b"], h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Pending);
        var quarantined = Assert.Single(h.Store.Durable.Quarantined);
        Assert.Equal(corrupt, quarantined.Report);
        Assert.StartsWith("complete report's result is not valid JSON", quarantined.Reason, StringComparison.Ordinal);
        Assert.Equal(h.Time.GetUtcNow(), quarantined.QuarantinedAt);
    }

    [Fact]
    public async Task C4_MalformedJob_FailsWhereItHasAnIdSkipsItWhereNotAndTheRestOfTheBatchRuns()
    {
        // "transcode" is offered (so the server hands it out) but has no handler in this silo.
        await using var h = new SchedulerHarness(maxConcurrency: 20, claimBatchSize: 20, operations: ["sum", "divide", "echo", "transcode"]);
        var first = h.Api.Enqueue("sum", new { a = 1, b = 1 }, "job_first");
        h.Api.EnqueueRaw(new { id = "job_no_op", payload = new { } });
        h.Api.EnqueueRaw(new { op = "sum", payload = new { a = 1, b = 2 } });
        h.Api.EnqueueRaw(new { id = "job_no_payload", op = "sum" });
        h.Api.EnqueueRaw(new { id = "job_payload_string", op = "sum", payload = "a+b" });
        h.Api.EnqueueRaw(new { id = 42, op = "sum", payload = new { } });
        h.Api.EnqueueRaw(new { id = "job_op_number", op = 7, payload = new { } });
        h.Api.EnqueueRaw(17);
        h.Api.Enqueue("transcode", new { }, "job_unknown_op");
        h.Api.Enqueue("divide", new { a = 1, b = 0 }, "job_div0");
        h.Api.Enqueue("sum", new { a = "x", b = 1 }, "job_nan");
        var last = h.Api.Enqueue("echo", new { }, "job_last");

        var result = await h.TickAndDrainAsync();

        var instance = h.Scheduler.InstanceId;
        Assert.Equal(
            new[]
            {
                new ReportCall("job_div0", "fail", instance, null, "division by zero: field 'b' must not be 0"),
                new ReportCall(first, "complete", instance, """{"value":2}""", null),
                new ReportCall(last, "complete", instance, "{}", null),
                new ReportCall("job_nan", "fail", instance, null, "invalid payload: field 'a' must be a number, got string"),
                new ReportCall("job_no_op", "fail", instance, null, "malformed job: field 'op' is missing"),
                new ReportCall("job_no_payload", "fail", instance, null, "malformed job: field 'payload' is missing"),
                new ReportCall("job_op_number", "fail", instance, null, "malformed job: field 'op' must be a non-empty string, got a number"),
                new ReportCall("job_payload_string", "fail", instance, null, "malformed job: field 'payload' must be an object, got a string"),
                new ReportCall("job_unknown_op", "fail", instance, null, "no handler for op=transcode"),
            },
            h.Api.Accepted.OrderBy(r => r.JobId, StringComparer.Ordinal));
        Assert.Equal(3, h.Scheduler.MalformedJobsSkipped);
        // The three without a usable id cannot be reported: each is logged (a warning, SchedulingLogEvents.MalformedJobSkipped) saying why.
        Assert.Equal(
            [
                "Bot bot-key-1 skipped a malformed job without an id: malformed job: field 'id' is missing",
                "Bot bot-key-1 skipped a malformed job without an id: malformed job: field 'id' must be a non-empty string, got a number",
                "Bot bot-key-1 skipped a malformed job without an id: malformed job: expected a JSON object, got a number",
            ],
            h.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SchedulingLogEvents.MalformedJobSkipped).Select(r => r.Message));
        Assert.All(h.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SchedulingLogEvents.MalformedJobSkipped), r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.Equal(5, result.JobsStarted);
        Assert.Equal(0, h.Scheduler.InFlight);
    }

    [Fact]
    public async Task C5_FailedClaim_DoesNotCrashTheTick_TheBotIsDegradedBacksOffAndRetriesOnLaterTicks()
    {
        await using var h = new SchedulerHarness();
        var backoff = new TickBackoff(new SchedulerOptions { TickInterval = TimeSpan.FromSeconds(1), MaxFailureBackoff = TimeSpan.FromSeconds(10), FailureBackoffJitter = 0 });
        var faults = new Queue<Exception>([
            FakeJobApi.ServerError(HttpStatusCode.InternalServerError),
            FakeJobApi.ServerError(HttpStatusCode.ServiceUnavailable, retryAfter: TimeSpan.FromSeconds(30)),
            new JobApiException("timed out after 10s", null, isTransient: true),
            FakeJobApi.Unreachable(),
        ]);
        h.Api.ClaimFault = _ => faults.TryDequeue(out var fault) ? fault : null;
        var id = h.Api.Enqueue("sum", new { a = 2, b = 3 });

        var delays = new List<TimeSpan>();
        var errors = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var failed = await h.TickAndDrainAsync();
            Assert.Equal(TickOutcome.ClaimFailed, failed.Outcome);
            Assert.Equal(BotState.Degraded, h.Scheduler.GetStatus().State);
            errors.Add(h.Scheduler.GetStatus().LastError);
            delays.Add(backoff.Next(failed));
        }

        var recovered = await h.TickAndDrainAsync();

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)], delays);
        Assert.Equal(["job API answered 500", "job API answered 503", "timed out after 10s", "connection refused"], errors);
        Assert.Equal(TickOutcome.Claimed, recovered.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next(recovered));
        Assert.Equal(BotState.Active, h.Scheduler.GetStatus().State);
        Assert.Null(h.Scheduler.GetStatus().LastError);
        Assert.Equal(5, h.Api.Claims.Count);
        Assert.Equal([new ReportCall(id, "complete", h.Scheduler.InstanceId, """{"value":5}""", null)], h.Api.Accepted);
    }

    [Fact]
    public async Task C6_AssignmentChange_KeepsTrackOfRunningJobsAndNeitherLeaksNorOvershootsSlots()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 4, claimBatchSize: 10);
        h.Probe.HoldJobs = true;
        for (var i = 0; i < 10; i++)
        {
            h.Api.Enqueue("probe", new { i });
        }

        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(4);

        h.Scheduler.Reconfigure(h.Definition with { MaxConcurrency = 2 });
        var busy = await h.Scheduler.TickAsync(Ct);

        // The four running jobs are still counted against the new, lower limit.
        Assert.Equal(TickOutcome.Busy, busy.Outcome);
        Assert.Equal(4, h.Scheduler.InFlight);
        Assert.Equal(0, h.Scheduler.FreeSlots);

        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.DrainAsync();
        Assert.Equal(0, h.Scheduler.InFlight);
        Assert.Equal(2, h.Scheduler.FreeSlots);

        // Each round drains before the next tick, so every claim asks for exactly the free slots of the new limit (with
        // RunUntilQueueEmptyAsync a tick could come while one of two reports was still on the wire, and ask for 1).
        while (h.Api.QueuedJobs > 0)
        {
            await h.TickAndDrainAsync();
        }

        Assert.Equal([4, 2, 2, 2], h.Api.Claims.Select(c => c.Limit));
        Assert.Equal(10, h.Api.Accepted.Count);
        Assert.Equal(10, h.Probe.Started.Distinct().Count());
        Assert.Equal(2, h.Api.Calls.OfType<RegisterCall>().Count());
    }

    [Fact]
    public async Task C7_NoHeadOfLineBlocking_TheNextTickClaimsFreedSlotsWhileALongJobStillRuns()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 4, claimBatchSize: 4);
        var slow = h.Api.Enqueue("hang", new { });
        for (var i = 0; i < 3; i++)
        {
            h.Api.Enqueue("sum", new { a = i, b = 0 });
        }

        h.Api.Enqueue("sum", new { a = 10, b = 0 }, "job_next1");
        h.Api.Enqueue("sum", new { a = 11, b = 0 }, "job_next2");

        var first = await h.Scheduler.TickAsync(Ct);
        await Eventually.TrueAsync(() => h.Api.Accepted.Count == 3, "three quick jobs reported");
        var second = await h.Scheduler.TickAsync(Ct);
        await Eventually.TrueAsync(() => h.Api.Accepted.Count == 5, "two more quick jobs reported");

        Assert.Equal(4, first.JobsStarted);
        Assert.Equal(2, second.JobsStarted);
        Assert.Equal([4, 3], h.Api.Claims.Select(c => c.Limit));
        Assert.Equal(1, h.Scheduler.InFlight);
        Assert.DoesNotContain(h.Api.Accepted, r => r.JobId == slow);

        await Eventually.TrueAsync(() => h.Probe.Started.Contains(slow), "the long job started");
        h.Time.Advance(SchedulerHarness.HangTimeout);
        await h.DrainAsync();
        Assert.Equal(0, h.Scheduler.InFlight);
    }
}
