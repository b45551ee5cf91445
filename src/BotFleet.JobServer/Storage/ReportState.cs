namespace BotFleet.JobServer.Storage;

/// <summary>
/// What a store read about a job before taking a complete/fail report for it.
/// <paramref name="Result"/> is set when the answer is already known (unknown job, or the reporting
/// instance does not hold the job's latest attempt).
/// </summary>
/// <param name="Outcome">The outcome already recorded for the reporter's attempt, if any.</param>
/// <param name="AttemptError">The error recorded for that attempt, if it failed.</param>
/// <param name="StoredResult">The job's stored result, if it completed.</param>
internal readonly record struct ReportState(
    ReportResult? Result,
    string Status,
    int Attempt,
    int MaxAttempts,
    string? Outcome,
    string? AttemptError,
    string? StoredResult);
