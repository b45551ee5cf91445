using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Telemetry;

/// <summary>
/// What happens to jobs that an operator must be able to see without polling: a job going dead, dead jobs requeued
/// or discarded, jobs cancelled. The stores call it after the change committed; each event is one log line and one metric.
/// </summary>
public sealed partial class JobEvents(JobServerMetrics metrics, ILogger<JobEvents> logger)
{
    /// <summary>Jobs a store's write ended without a completion (null: none).</summary>
    internal void JobsEnded(EndedJobs? ended)
    {
        if (ended is null)
        {
            return;
        }

        foreach (var job in ended.Died)
        {
            LogJobDead(logger, job.Id, job.Op, job.Attempts, job.Error);
            metrics.JobDied(job.Op);
        }

        JobsCancelled(ended.Cancelled);
    }

    /// <summary>What a store did for an operator's cancel: a pending job cancelled now, or a running job's cancel recorded.</summary>
    internal void CancelAnswered(string jobId, string? op, JobCancelStep step)
    {
        if (op is null)
        {
            return;
        }

        if (step == JobCancelStep.CancelNow)
        {
            JobsCancelled([(jobId, op)]);
        }
        else if (step == JobCancelStep.AskTheBot)
        {
            LogCancelRequested(logger, jobId, op);
        }
    }

    private void JobsCancelled(IReadOnlyList<(string Id, string Op)> jobs)
    {
        foreach (var (id, op) in jobs)
        {
            LogJobCancelled(logger, id, op);
            metrics.JobCancelled(op);
        }
    }

    /// <param name="byOp">How many jobs of each operation were requeued.</param>
    public void JobsRequeued(IReadOnlyDictionary<string, int> byOp, int attempts)
    {
        ArgumentNullException.ThrowIfNull(byOp);
        foreach (var (op, count) in byOp)
        {
            LogJobsRequeued(logger, count, op, attempts);
            metrics.JobsRequeued(op, count);
        }
    }

    /// <param name="byOp">How many jobs of each operation were discarded.</param>
    public void JobsDiscarded(IReadOnlyDictionary<string, int> byOp)
    {
        ArgumentNullException.ThrowIfNull(byOp);
        foreach (var (op, count) in byOp)
        {
            LogJobsDiscarded(logger, count, op);
            metrics.JobsDiscarded(op, count);
        }
    }
}
