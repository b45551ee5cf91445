namespace BotFleet.JobServer.Storage;

/// <summary>One row of the jobs table, as both stores read it (times in unix milliseconds).</summary>
internal sealed record JobRow(
    long Seq,
    string Id,
    string Op,
    string Payload,
    string Status,
    JobPriority Priority,
    int Attempt,
    int MaxAttempts,
    string? Result,
    string? Error,
    long RunAfter,
    long? LeaseUntil,
    long CreatedAt,
    long UpdatedAt);
