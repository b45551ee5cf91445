using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Telemetry;

namespace BotFleet.JobServer.Storage;

/// <summary>What cancelling a job does, decided the same way by both stores from the status they locked and read.</summary>
internal static class JobCancellation
{
    /// <summary>The error a job cancelled while pending ends with.</summary>
    public const string Error = "cancelled by an operator";

    /// <summary>What a store does for a job in <paramref name="status"/> (null: unknown).</summary>
    public static JobCancelStep Decide(string? status) => status switch
    {
        null => JobCancelStep.Unknown,
        JobStatuses.Pending => JobCancelStep.CancelNow,
        JobStatuses.Leased => JobCancelStep.AskTheBot,
        JobStatuses.Cancelled => JobCancelStep.AlreadyCancelled,
        _ => JobCancelStep.Finished,
    };

    /// <summary>
    /// One result per id in input order, from the states the store read before it wrote; each job's cancel is logged
    /// and counted once, however often its id was named.
    /// </summary>
    public static List<JobControlResult> Answer(IReadOnlyList<string> jobIds, Dictionary<string, (string Status, string Op)> states, JobEvents? events)
    {
        var results = new List<JobControlResult>(jobIds.Count);
        var told = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in jobIds)
        {
            (string Status, string Op)? state = states.TryGetValue(id, out var found) ? found : null;
            var step = Decide(state?.Status);
            if (told.Add(id))
            {
                events?.CancelAnswered(id, state?.Op, step);
            }

            results.Add(Result(id, step, state?.Status));
        }

        return results;
    }

    /// <summary>The answer for the caller: cancelled now or already is Done, a running job's cancel is CancelRequested.</summary>
    private static JobControlResult Result(string jobId, JobCancelStep step, string? status) => step switch
    {
        JobCancelStep.Unknown => new(jobId, JobControlOutcome.NotFound),
        JobCancelStep.CancelNow or JobCancelStep.AlreadyCancelled => new(jobId, JobControlOutcome.Done),
        JobCancelStep.AskTheBot => new(jobId, JobControlOutcome.CancelRequested),
        _ => new(jobId, JobControlOutcome.WrongStatus, status),
    };
}
