using System.Text.Json.Serialization;

namespace BotFleet.JobApi.Contracts;

// POST /v1/bots/heartbeats: the heartbeats of many bots in one call ("our additions" in docs/job-api.md).

/// <summary>The per-item outcomes of a batched heartbeat; each maps to the status the single heartbeat would answer.</summary>
public static class HeartbeatItemStatuses
{
    /// <summary>The bot is marked alive; the item carries what the single heartbeat's 200 carries.</summary>
    public const string Ok = "ok";

    /// <summary>The access token is missing, unknown or expired (401): register again.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The access token is another bot's (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The bot is not registered (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>The item itself is malformed (400, see its error).</summary>
    public const string Invalid = "invalid";
}

/// <summary>One bot's heartbeat in a batch: the single heartbeat's body plus the bot and its access token.</summary>
public sealed record HeartbeatBatchItem(
    string BotId,
    string AccessToken,
    string InstanceId,
    IReadOnlyList<RunningJob> Running,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    BotHealth? Health = null);

/// <param name="Heartbeats">1 to 1,000 heartbeats, of any bots.</param>
public sealed record HeartbeatBatchRequest(IReadOnlyList<HeartbeatBatchItem> Heartbeats);

/// <param name="BotId">The item's bot_id as sent; absent when the item had none.</param>
/// <param name="Status">One of <see cref="HeartbeatItemStatuses"/>.</param>
/// <param name="Error">Why the item was refused.</param>
/// <param name="LeaseExtendedTo">With "ok": the lease end given to every job the bot still holds.</param>
/// <param name="Assignment">With "ok": the bot's new assignment when an operator changed it.</param>
/// <param name="Leases">With "ok": the jobs whose lease was extended.</param>
/// <param name="Cancel">With "ok": the bot's running jobs an operator cancelled, as in the single heartbeat's answer.</param>
public sealed record HeartbeatBatchItemResult(
    string? BotId,
    string Status,
    string? Error = null,
    DateTimeOffset? LeaseExtendedTo = null,
    BotAssignment? Assignment = null,
    IReadOnlyList<JobLease>? Leases = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? Cancel = null);

/// <param name="Results">One per heartbeat, in input order.</param>
public sealed record HeartbeatBatchResponse(IReadOnlyList<HeartbeatBatchItemResult> Results);
