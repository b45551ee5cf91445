using System.Text.Json;

namespace BotFleet.JobApi.Contracts;

// Producer and operator shapes ("our additions" in docs/job-api.md).

public sealed record SubmitJobRequest(
    string Op,
    JsonElement Payload,
    string? Priority = null,
    int? MaxAttempts = null,
    DateTimeOffset? RunAfter = null,
    string? IdempotencyKey = null);

public sealed record SubmitJobBatchRequest(IReadOnlyList<SubmitJobRequest> Jobs);

public sealed record SubmitJobsResponse(IReadOnlyList<string> Ids);

public sealed record JobAttemptView(
    int Attempt,
    string BotId,
    string InstanceId,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    string? Outcome,
    string? Error);

/// <param name="NextAttemptAt">A pending job's earliest claim: its run_after, or the end of its retry backoff.</param>
/// <param name="CancelRequestedAt">When an operator asked to cancel the job while a bot ran it (POST /v1/jobs/{id}/cancel).</param>
/// <param name="Progress">The latest progress the bot running the current attempt reported (with a heartbeat).</param>
public sealed record JobView(
    string Id,
    string Op,
    JsonElement Payload,
    string Status,
    string Priority,
    int Attempt,
    int MaxAttempts,
    JsonElement? Result,
    string? Error,
    IReadOnlyList<JobAttemptView> Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? NextAttemptAt = null,
    DateTimeOffset? CancelRequestedAt = null,
    JobProgress? Progress = null);

public sealed record JobStatusCounts(long Pending, long Leased, long Completed, long Dead, long Cancelled = 0);

public sealed record BotCounts(long Registered, long Active);

public sealed record StatsResponse(
    JobStatusCounts Jobs,
    IReadOnlyDictionary<string, JobStatusCounts> ByOp,
    BotCounts Bots);

/// <summary>Job statuses as they appear on the wire.</summary>
public static class JobStatuses
{
    public const string Pending = "pending";
    public const string Leased = "leased";
    public const string Completed = "completed";
    public const string Dead = "dead";

    /// <summary>An operator cancelled the job (POST /v1/jobs/{id}/cancel); it is never run again.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every status, in the order a job goes through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Leased, Completed, Dead, Cancelled];
}

/// <summary>One operation's queue in GET /v1/queue: pending jobs and when the oldest of them was submitted.</summary>
public sealed record QueueView(string Op, long Pending, DateTimeOffset OldestPendingAt);

/// <summary>Answer of GET /v1/queue, operations in name order.</summary>
public sealed record QueueResponse(IReadOnlyList<QueueView> Queues);
