namespace BotFleet.JobServer.Storage;

/// <summary>A job as stored. JSON columns stay text; the API layer decides how to emit them.</summary>
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
    IReadOnlyList<StoredJobAttempt> Attempts);
