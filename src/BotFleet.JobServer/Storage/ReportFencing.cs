using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// The rules every store applies to a complete/fail report, in one place: only the holder of the
/// job's latest attempt — the bot whose token sent the report, with the attempt's instance — may change
/// it; an identical repeat is harmless; anything else is a conflict (409: the sender must drop it).
/// </summary>
internal static class ReportFencing
{
    /// <summary>
    /// What a report from <paramref name="instanceId"/> of <paramref name="botId"/> finds in <paramref name="job"/> (null: unknown).
    /// <see cref="ReportState.Result"/> is set when the answer is clear already: unknown job, never claimed, or the
    /// latest attempt belongs to another bot or instance (a later attempt, or another bot's lease).
    /// </summary>
    public static ReportState StateFor(ReportedJob? job, string botId, string instanceId)
    {
        if (job is null)
        {
            return new ReportState(ReportResult.NotFound, string.Empty, 0, 0, null, null, null);
        }

        if (!string.Equals(job.AttemptBotId, botId, StringComparison.Ordinal)
            || !string.Equals(job.AttemptInstanceId, instanceId, StringComparison.Ordinal))
        {
            return new ReportState(ReportResult.Conflict, job.Status, job.Attempt, job.MaxAttempts, null, null, job.Result);
        }

        return new ReportState(null, job.Status, job.Attempt, job.MaxAttempts, job.AttemptOutcome, job.AttemptError, job.Result);
    }

    /// <returns>The answer without changing anything, or null when the store must record the completion.</returns>
    public static ReportResult? Complete(ReportState state, string? resultJson)
    {
        if (state.Result is { } early)
        {
            return early;
        }

        if (state.Outcome == AttemptOutcomes.Completed)
        {
            // Only an identical repeat is harmless; a different result for a finished job is a conflict.
            return string.Equals(state.StoredResult, resultJson, StringComparison.Ordinal) ? ReportResult.Repeated : ReportResult.Conflict;
        }

        // Running, or lost but not yet re-claimed: the work is done, so take it.
        return state.Outcome is AttemptOutcomes.Failed or AttemptOutcomes.Cancelled || IsFinished(state.Status)
            ? ReportResult.Conflict
            : null;
    }

    /// <summary>
    /// True when the reporter no longer holds the job's latest attempt: the store must then look up
    /// whether it already failed an earlier attempt with the same error (the job has simply moved on).
    /// </summary>
    public static bool MayRepeatEarlierFailure(ReportState state) => state.Result == ReportResult.Conflict;

    /// <param name="repeatsEarlierFailure">The store's answer to <see cref="MayRepeatEarlierFailure"/>'s question; false when not asked.</param>
    /// <returns>The answer without changing anything, or null when the store must record the failure.</returns>
    public static ReportResult? Fail(ReportState state, string error, bool repeatsEarlierFailure)
    {
        if (repeatsEarlierFailure)
        {
            return ReportResult.Repeated;
        }

        if (state.Result is { } early)
        {
            return early;
        }

        if (state.Outcome is AttemptOutcomes.Failed or AttemptOutcomes.Cancelled)
        {
            return string.Equals(state.AttemptError, error, StringComparison.Ordinal) ? ReportResult.Repeated : ReportResult.Conflict;
        }

        return state.Outcome == AttemptOutcomes.Completed || IsFinished(state.Status)
            ? ReportResult.Conflict
            : null;
    }

    private static bool IsFinished(string status) => status is JobStatuses.Completed or JobStatuses.Dead or JobStatuses.Cancelled;
}
