using BotFleet.JobApi.Contracts;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// Applies a batch of reports to the jobs a store read for it, in input order and in memory, with the rules of
/// <see cref="ReportFencing"/>: each item sees what the items before it did (a job reported twice in one batch
/// behaves exactly as two reports in a row). The store reads once before and writes the changed jobs once after.
/// </summary>
internal static class ReportBatch
{
    /// <summary>
    /// The reported job ids, each once, in ordinal order: every reporter locks in this order, so two batches over the
    /// same jobs never deadlock. (Sorted in place, without LINQ: a store runs this on every report.)
    /// </summary>
    public static string[] LockOrder(IReadOnlyList<JobReportCommand> reports)
    {
        var ids = new string[reports.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reports[i].JobId;
        }

        Array.Sort(ids, StringComparer.Ordinal);
        var distinct = 0;
        foreach (var id in ids)
        {
            if (distinct == 0 || !string.Equals(ids[distinct - 1], id, StringComparison.Ordinal))
            {
                ids[distinct++] = id;
            }
        }

        Array.Resize(ref ids, distinct);
        return ids;
    }

    /// <summary>The jobs the batch changed (<see cref="ReportedJob.Changed"/>), in the order of <paramref name="lockOrder"/>.</summary>
    public static List<ReportedJob> Changed(string[] lockOrder, IReadOnlyDictionary<string, ReportedJob> jobs)
    {
        var changed = new List<ReportedJob>(jobs.Count);
        foreach (var id in lockOrder)
        {
            if (jobs.TryGetValue(id, out var job) && job.Changed)
            {
                changed.Add(job);
            }
        }

        return changed;
    }

    /// <summary>
    /// Jobs for which the store must also read which earlier attempts <paramref name="botId"/> failed: a fail report
    /// whose sender no longer holds the latest attempt may repeat one of those (harmless), else it is a conflict.
    /// Reports do not open attempts, so the answer does not change while the batch is applied.
    /// </summary>
    public static List<string> NeedingFailureHistory(IReadOnlyList<JobReportCommand> reports, string botId, IReadOnlyDictionary<string, ReportedJob> jobs)
    {
        var ids = new List<string>();
        foreach (var report in reports)
        {
            if (report.Failed
                && jobs.TryGetValue(report.JobId, out var job)
                && ReportFencing.MayRepeatEarlierFailure(ReportFencing.StateFor(job, botId, report.InstanceId))
                && !ids.Contains(report.JobId))
            {
                ids.Add(report.JobId);
            }
        }

        return ids;
    }

    /// <param name="earlierFailures">(job id, instance id, error) of the attempts that the bot failed, for the jobs <see cref="NeedingFailureHistory"/> named.</param>
    /// <param name="random">Jitter source of the retry backoff, one value in [0, 1) per failure that backs off.</param>
    /// <returns>One answer per report, in input order; the jobs changed are marked <see cref="ReportedJob.Changed"/>.</returns>
    public static ReportResult[] Apply(
        IReadOnlyList<JobReportCommand> reports,
        string botId,
        IReadOnlyDictionary<string, ReportedJob> jobs,
        IReadOnlySet<(string JobId, string InstanceId, string Error)> earlierFailures,
        long now,
        JobServerOptions options,
        Func<double> random)
    {
        var results = new ReportResult[reports.Count];
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            var job = jobs.GetValueOrDefault(report.JobId);
            var state = ReportFencing.StateFor(job, botId, report.InstanceId);
            if (!report.Failed)
            {
                results[i] = ReportFencing.Complete(state, report.ResultJson) ?? TakeCompletion(job!, report.ResultJson);
                continue;
            }

            var error = Truncate(report.Error ?? string.Empty);
            var repeats = ReportFencing.MayRepeatEarlierFailure(state) && earlierFailures.Contains((report.JobId, report.InstanceId, error));
            results[i] = ReportFencing.Fail(state, error, repeats) ?? TakeFailure(job!, error, report.RetryAfter, now, options, random);
        }

        return results;
    }

    /// <summary>Operations of the changed jobs that a failure made claimable at once (no backoff), for long-poll claims; null when none.</summary>
    public static List<string>? PendingNow(List<ReportedJob> changed, long now)
    {
        List<string>? operations = null;
        foreach (var job in changed)
        {
            if (job.Status == JobStatuses.Pending && job.RunAfter <= now && !(operations ??= []).Contains(job.Op))
            {
                operations.Add(job.Op);
            }
        }

        return operations;
    }

    /// <summary>The changed jobs that a failure ended: dead, or cancelled for an operator's cancel; null when none.</summary>
    public static EndedJobs? Ended(List<ReportedJob> changed)
    {
        EndedJobs? ended = null;
        foreach (var job in changed)
        {
            if (job.Status == job.StoredStatus)
            {
                continue;
            }

            if (job.Status == JobStatuses.Dead)
            {
                (ended ??= new()).Died.Add(new DeadJob(job.Id, job.Op, job.Attempt, job.Error));
            }
            else if (job.Status == JobStatuses.Cancelled)
            {
                (ended ??= new()).Cancelled.Add((job.Id, job.Op));
            }
        }

        return ended;
    }

    private static ReportResult TakeCompletion(ReportedJob job, string? resultJson)
    {
        job.Status = JobStatuses.Completed;
        job.Result = resultJson;
        job.Error = null;
        job.AttemptOutcome = AttemptOutcomes.Completed;
        job.AttemptError = null;
        job.Changed = true;
        return ReportResult.Accepted;
    }

    private static ReportResult TakeFailure(ReportedJob job, string error, TimeSpan? retryAfter, long now, JobServerOptions options, Func<double> random)
    {
        // An operator cancelled it: the bot stopped it (or it failed meanwhile), and either way it ends here.
        var cancelled = job.CancelRequested;
        var dead = !cancelled && job.Attempt >= job.MaxAttempts;
        job.Status = cancelled ? JobStatuses.Cancelled : dead ? JobStatuses.Dead : JobStatuses.Pending;
        job.Error = error;
        job.RunAfter = cancelled || dead ? now : now + (long)RetryBackoff.Delay(job.Attempt, retryAfter, options, random()).TotalMilliseconds;
        job.AttemptOutcome = cancelled ? AttemptOutcomes.Cancelled : AttemptOutcomes.Failed;
        job.AttemptError = error;
        job.Changed = true;
        return ReportResult.Accepted;
    }
}
