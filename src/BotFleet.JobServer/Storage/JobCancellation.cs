using BotFleet.JobApi.Wire;

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

    /// <summary>The answer for the caller: cancelled now or already is Done, a running job's cancel is CancelRequested.</summary>
    public static JobControlResult Result(string jobId, JobCancelStep step, string? status) => step switch
    {
        JobCancelStep.Unknown => new(jobId, JobControlOutcome.NotFound),
        JobCancelStep.CancelNow or JobCancelStep.AlreadyCancelled => new(jobId, JobControlOutcome.Done),
        JobCancelStep.AskTheBot => new(jobId, JobControlOutcome.CancelRequested),
        _ => new(jobId, JobControlOutcome.WrongStatus, status),
    };
}
