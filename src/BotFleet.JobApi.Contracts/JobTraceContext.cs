using System.Diagnostics;

namespace BotFleet.JobApi.Contracts;

/// <summary>
/// A job's trace: the server stores the submit request's W3C traceparent with the job and hands it out with the claim
/// (<c>trace_parent</c>, an addition to job API v1 that old bots ignore), so the bot's spans for the job join the
/// submitter's trace.
/// </summary>
public static class JobTraceContext
{
    /// <summary>The activity source of BotFleet's own spans, on the job server and in the silo.</summary>
    public const string ActivitySourceName = "BotFleet";

    /// <summary>The current span as a traceparent, when it is W3C and recorded (an unsampled trace is not carried on).</summary>
    public static string? OfCurrentSpan() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>
    /// Reads a stored traceparent. A value that is not one gives no parent (the span starts a trace of its own): trace
    /// context is advice, never a reason to refuse a job.
    /// </summary>
    public static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out var context) ? context : default;
}
