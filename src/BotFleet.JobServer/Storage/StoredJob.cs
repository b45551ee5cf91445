namespace BotFleet.JobServer.Storage;

/// <summary>A job as stored. JSON columns stay text; the API layer decides how to emit them.</summary>
/// <param name="CancelRequestedAt">When an operator asked to cancel the job while it was leased.</param>
/// <param name="Progress">The progress the current attempt reported, if any (a retry starts without).</param>
public sealed record StoredJob(
    string Id,
    string Op,
    string PayloadJson,
    string Status,
    JobPriority Priority,
    int Attempt,
    int MaxAttempts,
    string? ResultJson,
    string? Error,
    DateTimeOffset RunAfter,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<StoredJobAttempt> Attempts,
    DateTimeOffset? CancelRequestedAt = null,
    StoredProgress? Progress = null);
