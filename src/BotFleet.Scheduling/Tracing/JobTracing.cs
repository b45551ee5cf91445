using System.Diagnostics;
using BotFleet.Contracts.Jobs;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Tracing;

/// <summary>
/// The bot's spans for a job, in the trace its submitter started (<see cref="JobTraceContext"/>): "job {op}" from the
/// claim's answer until the server settled the report, and inside it "handle {op}" (the handler, in the worker grain)
/// and "report {op}" (queued until settled). Nothing is created while no listener samples the source.
/// </summary>
public static class JobTracing
{
    public const string JobIdTag = "botfleet.job.id";
    public const string OperationTag = "botfleet.job.op";
    public const string AttemptTag = "botfleet.job.attempt";
    public const string BotIdTag = "botfleet.bot.id";
    public const string OutcomeTag = "botfleet.job.outcome";
    public const string ReportStatusTag = "botfleet.report.status";

    internal static readonly ActivitySource Source = new(JobTraceContext.ActivitySourceName);

    /// <summary>Opens the job's span, started when the claim was answered; null when nobody listens.</summary>
    internal static JobTrace? StartJob(ClaimedJob job, string botId, DateTimeOffset claimedAt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = StartDetached(
            $"job {job.Op}",
            ActivityKind.Consumer,
            JobTraceContext.ParentOf(job.TraceParent),
            claimedAt,
            [new(JobIdTag, job.Id), new(OperationTag, job.Op), new(AttemptTag, job.Attempt), new(BotIdTag, botId)]);
        return activity is null ? null : new JobTrace(activity);
    }

    /// <summary>Opens the handler's span under the job's and makes it current, so the handler's own calls join it.</summary>
    internal static Activity? StartHandler(JobWork work) =>
        work.TraceParent is null || !Source.HasListeners()
            ? null
            : Source.StartActivity(
                $"handle {work.Op}",
                ActivityKind.Internal,
                JobTraceContext.ParentOf(work.TraceParent),
                [new(JobIdTag, work.JobId), new(OperationTag, work.Op), new(AttemptTag, work.Attempt)]);

    /// <summary>
    /// Starts a span that is not made current: a job's span lives across grain turns and must never become the
    /// parent of whatever call the scheduler makes next (a claim, a batch of other jobs' reports).
    /// </summary>
    internal static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent, DateTimeOffset start, IEnumerable<KeyValuePair<string, object?>>? tags = null)
    {
        var current = Activity.Current;
        // With no parent given, the ambient span would become the parent: a job without trace context starts its own.
        Activity.Current = null;
        try
        {
            return Source.StartActivity(name, kind, parent, tags, links: null, startTime: start);
        }
        finally
        {
            Activity.Current = current;
        }
    }
}
