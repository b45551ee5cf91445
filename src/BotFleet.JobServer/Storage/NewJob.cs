namespace BotFleet.JobServer.Storage;

/// <summary>A validated job to add; <paramref name="PayloadJson"/> is compact JSON of an object.</summary>
/// <param name="TraceParent">
/// The W3C traceparent of the submit request's span, stored so the bot that runs the job continues its trace; null when
/// the submit was not traced.
/// </param>
public sealed record NewJob(
    string Op,
    string PayloadJson,
    JobPriority Priority,
    int MaxAttempts,
    DateTimeOffset? RunAfter,
    string? IdempotencyKey,
    string? TraceParent = null);
