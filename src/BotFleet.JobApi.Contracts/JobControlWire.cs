namespace BotFleet.JobApi.Contracts;

/// <summary>Body of POST /v1/jobs/{job_id}/requeue (optional): how many more attempts the dead job gets.</summary>
public sealed record RequeueJobRequest(int? Attempts = null);

/// <summary>
/// Body of POST /v1/jobs/requeue, /discard and /cancel: either <see cref="JobIds"/> (up to 1,000) or <see cref="All"/>
/// (every dead job, or for cancel every pending and leased one, of <see cref="Op"/> when given). <see cref="Attempts"/>
/// is for requeue only.
/// </summary>
public sealed record JobSelectionRequest(IReadOnlyList<string>? JobIds = null, bool? All = null, string? Op = null, int? Attempts = null);

/// <summary>What an action did to one named job: one of <see cref="JobControlStatuses"/> (conflict: its <see cref="CurrentStatus"/> is not one the action takes).</summary>
public sealed record JobControlItemResult(string JobId, string Status, string? CurrentStatus = null);

/// <summary>
/// Answer of POST /v1/jobs/requeue and POST /v1/jobs/discard: how many jobs the action changed, and with
/// <c>job_ids</c> one result per id in input order.
/// </summary>
public sealed record JobControlResponse(long Count, IReadOnlyList<JobControlItemResult>? Results = null);

/// <summary>Per-job statuses of <see cref="JobControlItemResult"/>.</summary>
public static class JobControlStatuses
{
    public const string Requeued = "requeued";
    public const string Discarded = "discarded";
    public const string Cancelled = "cancelled";

    /// <summary>A leased job's cancel was recorded: its bot stops it, and the attempt's end makes it cancelled.</summary>
    public const string CancelRequested = "cancel_requested";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
}
