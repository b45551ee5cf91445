namespace BotFleet.JobServer.Storage;

/// <summary>A validated job to add; <paramref name="PayloadJson"/> is compact JSON of an object.</summary>
public sealed record NewJob(
    string Op,
    string PayloadJson,
    JobPriority Priority,
    int MaxAttempts,
    DateTimeOffset? RunAfter,
    string? IdempotencyKey);
