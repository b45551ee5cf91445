using System.Diagnostics;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Tests.Fakes;
using BotFleet.Scheduling.Tracing;

namespace BotFleet.Scheduling.Tests.Tracing;

/// <summary>
/// The bot continues the trace the server hands out with a claimed job: "job {op}" under the submitter's span, holding
/// "handle {op}" (the handler) and "report {op}" (until the server settled the report).
/// </summary>
public sealed class JobTracingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimedJobWithTraceParent_JobSpanJoinsTheSubmitterTrace_AndHoldsHandlerAndReportSpans()
    {
        using var spans = new SpanCollector();
        await using var h = new SchedulerHarness();
        var submit = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var id = Enqueue(h, "sum", new { a = 2, b = 3 }, TraceParentOf(submit));
        var claimedAt = h.Time.GetUtcNow().UtcDateTime;

        await h.TickAndDrainAsync();

        Assert.Equal([(id, "complete")], h.Api.Accepted.Select(r => (r.JobId, r.Action)));
        var trace = spans.InTrace(submit.TraceId);
        var job = Assert.Single(trace, s => s.DisplayName == "job sum");
        Assert.Equal(submit.SpanId, job.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, job.Kind);
        Assert.Equal(ActivityStatusCode.Unset, job.Status);
        Assert.Equal(
            [(JobTracing.JobIdTag, (object?)id), (JobTracing.OperationTag, "sum"), (JobTracing.AttemptTag, 1), (JobTracing.BotIdTag, h.Api.BotId),
             (JobTracing.OutcomeTag, "completed"), (JobTracing.ReportStatusTag, ReportItemStatuses.Accepted)],
            job.TagObjects.Select(t => (t.Key, t.Value)));
        var handle = Assert.Single(trace, s => s.DisplayName == "handle sum");
        Assert.Equal(job.SpanId, handle.ParentSpanId);
        var report = Assert.Single(trace, s => s.DisplayName == "report sum");
        Assert.Equal(job.SpanId, report.ParentSpanId);
        Assert.Equal(ReportItemStatuses.Accepted, report.GetTagItem(JobTracing.ReportStatusTag));
        Assert.Equal(3, trace.Count);
        // On the fake clock nothing passes: the job's span starts at the claim and ends at the report's settling.
        Assert.Equal(claimedAt, job.StartTimeUtc);
        Assert.Equal(job.StartTimeUtc + job.Duration, report.StartTimeUtc + report.Duration);
    }

    [Fact]
    public async Task FailedHandler_MarksHandlerAndJobSpansAsErrors_WithTheReportedError()
    {
        using var spans = new SpanCollector();
        await using var h = new SchedulerHarness();
        var submit = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var id = Enqueue(h, "boom", new { }, TraceParentOf(submit));

        await h.TickAndDrainAsync();

        var error = Assert.Single(h.Api.Accepted).Error;
        Assert.Equal($"handler exploded on {id}", error);
        var trace = spans.InTrace(submit.TraceId);
        var job = Assert.Single(trace, s => s.DisplayName == "job boom");
        Assert.Equal((ActivityStatusCode.Error, error), (job.Status, job.StatusDescription));
        Assert.Equal("failed", job.GetTagItem(JobTracing.OutcomeTag));
        var handle = Assert.Single(trace, s => s.DisplayName == "handle boom");
        Assert.Equal((ActivityStatusCode.Error, error), (handle.Status, handle.StatusDescription));
    }

    [Fact]
    public async Task JobWithoutOrWithAMalformedTraceParent_StartsATraceOfItsOwn_AndStillRuns()
    {
        using var spans = new SpanCollector();
        await using var h = new SchedulerHarness();
        var plain = Enqueue(h, "echo", new { n = 1 }, traceParent: null);
        var malformed = Enqueue(h, "echo", new { n = 2 }, traceParent: "not-a-traceparent");

        await h.TickAndDrainAsync();

        Assert.Equal(new[] { plain, malformed }.Order(StringComparer.Ordinal), h.Api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        foreach (var id in new[] { plain, malformed })
        {
            var job = Assert.Single(spans.Named("job echo"), s => (string?)s.GetTagItem(JobTracing.JobIdTag) == id);
            Assert.Equal(default, job.ParentSpanId);
            var trace = spans.InTrace(job.TraceId);
            Assert.Equal(["handle echo", "job echo", "report echo"], trace.Select(s => s.DisplayName).Order(StringComparer.Ordinal));
        }
    }

    private static string Enqueue(SchedulerHarness h, string op, object payload, string? traceParent)
    {
        var id = $"job_{Guid.NewGuid():N}";
        h.Api.EnqueueRaw(new { id, op, payload, lease_until = "2030-01-01T00:00:00Z", attempt = 1, trace_parent = traceParent });
        return id;
    }

    private static string TraceParentOf(ActivityContext context) => $"00-{context.TraceId}-{context.SpanId}-01";
}
