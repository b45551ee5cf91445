using System.Diagnostics;
using BotFleet.Contracts.Jobs;

namespace BotFleet.Scheduling.Tracing;

/// <summary>One job's open span on the bot, from its claim until its report is settled. Ends once.</summary>
public sealed class JobTrace
{
    private readonly Activity _job;
    private DateTimeOffset? _reportQueuedAt;
    private int _ended;

    internal JobTrace(Activity job) => _job = job;

    /// <summary>The job span as a traceparent: the parent of the handler's span in the worker grain.</summary>
    public string TraceParent => _job.Id!;

    /// <summary>Records what the handler produced; the span stays open until its report is settled.</summary>
    internal void Ran(JobOutcome outcome)
    {
        _job.SetTag(JobTracing.OutcomeTag, outcome.Succeeded ? "completed" : "failed");
        if (!outcome.Succeeded)
        {
            _job.SetStatus(ActivityStatusCode.Error, outcome.Error);
        }
    }

    internal void ReportQueued(DateTimeOffset at) => _reportQueuedAt ??= at;

    /// <summary>Ends the report's and the job's spans with how the server took the report (or why it was not sent).</summary>
    internal void Settled(string status, DateTimeOffset at)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        // Stopping a span makes the one current at its start current again: the caller's stays as it was.
        var current = Activity.Current;
        try
        {
            using (var report = JobTracing.StartDetached($"report {_job.GetTagItem(JobTracing.OperationTag)}", ActivityKind.Internal, _job.Context, _reportQueuedAt ?? at))
            {
                report?.SetTag(JobTracing.ReportStatusTag, status);
                report?.SetEndTime(at.UtcDateTime);
            }

            _job.SetTag(JobTracing.ReportStatusTag, status);
            _job.SetEndTime(at.UtcDateTime);
            _job.Stop();
        }
        finally
        {
            Activity.Current = current;
        }
    }
}
