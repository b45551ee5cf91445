using BotFleet.JobApi.Wire;

namespace BotFleet.JobServer.Storage;

/// <summary>What cancelling a job does, decided the same way by both stores from the status they locked and read.</summary>
internal static class JobCancellation
{
    /// <summary>The error a job cancelled while pending ends with.</summary>
    public const string Error = "cancelled by an operator";

    /// <summary>
    /// Pending: cancelled at once (<see cref="JobControlOutcome.Done"/>). Leased: the cancel is recorded for its bot
    /// (<see cref="JobControlOutcome.CancelRequested"/>). Cancelled already: done, nothing changes. Completed or
    /// dead: <see cref="JobControlOutcome.WrongStatus"/>. Unknown (null): <see cref="JobControlOutcome.NotFound"/>.
    /// </summary>
    public static JobControlOutcome Decide(string? status) => status switch
    {
        null => JobControlOutcome.NotFound,
        JobStatuses.Pending or JobStatuses.Cancelled => JobControlOutcome.Done,
        JobStatuses.Leased => JobControlOutcome.CancelRequested,
        _ => JobControlOutcome.WrongStatus,
    };
}
