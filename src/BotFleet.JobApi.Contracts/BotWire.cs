using System.Text.Json.Serialization;
using System.Text.Json;

namespace BotFleet.JobApi.Contracts;

// Bot-facing shapes of docs/job-api.md. Field names are produced by JobApiJson's snake_case policy.

public sealed record BotResources(int CpuCores, int MemMb);

public sealed record RegisterBotRequest(
    string BotKey,
    string InstanceId,
    string Version,
    IReadOnlyList<string> Capabilities,
    BotResources Resources,
    JsonElement? Constraints = null,
    JsonElement? Meta = null);

/// <param name="RefreshToken">Optional in the contract's answers: a bot without one registers again on a 401.</param>
/// <param name="ExpiresIn">Optional: seconds the token lives; a bot learns it ended from a 401 either way.</param>
public sealed record BotAuth(string AccessToken, string? RefreshToken = null, int? ExpiresIn = null);

/// <param name="Paused">Optional: a server that leaves it out runs the bot (false).</param>
public sealed record BotAssignment(IReadOnlyList<string> Operations, int MaxConcurrency, bool Paused = false);

/// <summary>
/// The server's settings for its bots. Every field is optional to a bot (a server may send no config at all); see
/// <see cref="BotConfigDefaults"/> for what a bot assumes for each field left out.
/// </summary>
/// <param name="MaxClaimWaitMs">
/// Longest wait_ms this server honours on a claim (an addition to job API v1): a bot long-polls only a server that
/// names it. Null (older servers) or 0: no long polling.
/// </param>
/// <param name="MaxResultBytes">
/// Largest result (compact JSON, UTF-8 bytes) the server takes in a complete report (an addition to job API v1): a
/// bot reports a larger result as a failure saying so, rather than sending a report the server refuses with 413.
/// </param>
public sealed record BotConfig(
    int? HeartbeatInterval = null,
    int? ClaimBatchSize = null,
    int? JobLeaseTtl = null,
    int? MaxClaimWaitMs = null,
    int? MaxResultBytes = null);

/// <summary>What a bot assumes for a field of <see cref="BotConfig"/> that a server leaves out (or sends as 0).</summary>
public static class BotConfigDefaults
{
    /// <summary>The contract's example heartbeat interval.</summary>
    public const int HeartbeatIntervalSeconds = 30;

    /// <summary>The contract's limit on one job's payload or result at the reference server (1 MiB).</summary>
    public const int MaxResultBytes = 1_024 * 1_024;
}

public sealed record BotEndpoints(string Heartbeat, string Claim, string Report);

/// <summary>
/// Registration answer. The contract requires bot_id, auth.access_token and assignment (operations,
/// max_concurrency); config and endpoints are optional to a bot (a minimal server sends neither).
/// </summary>
public sealed record RegisterBotResponse(
    string BotId,
    BotAuth Auth,
    BotAssignment Assignment,
    BotConfig? Config = null,
    BotEndpoints? Endpoints = null);

/// <param name="Progress">
/// How far the job is, as its handler last said (an addition to job API v1; old servers ignore it, and a bot sends it
/// only when the handler reported some).
/// </param>
public sealed record RunningJob(
    string JobId,
    string Op,
    long ElapsedMs,
    DateTimeOffset? LeaseUntil,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    JobProgress? Progress = null);

/// <summary>A job's progress as its handler reports it: <paramref name="Percent"/> from 0 to 100, and a short message (up to 200 characters).</summary>
public sealed record JobProgress(double Percent, string? Message = null)
{
    /// <summary>Longest <see cref="Message"/> a server takes; a bot shortens a longer one.</summary>
    public const int MaxMessageLength = 200;
}

public sealed record BotMetrics(double Cpu, long MemMb);

/// <param name="Health">How the bot is doing, for operators (an addition to job API v1; old servers ignore it).</param>
public sealed record HeartbeatRequest(
    string InstanceId,
    IReadOnlyList<RunningJob> Running,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    BotMetrics? Metrics = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    BotHealth? Health = null);

public sealed record JobLease(string JobId, DateTimeOffset LeaseUntil);

/// <param name="Cancel">
/// Jobs among the bot's running ones that an operator cancelled (an addition to job API v1): the bot stops them and
/// reports them failed; the server ends them "cancelled" and never runs them again. Absent when there are none.
/// </param>
public sealed record HeartbeatResponse(
    DateTimeOffset LeaseExtendedTo,
    BotAssignment? Assignment = null,
    IReadOnlyList<JobLease>? Leases = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? Cancel = null);

/// <param name="WaitMs">
/// Long poll (an addition to job API v1; old servers ignore it): when no job is ready, the server may hold the claim
/// up to this many milliseconds (0..30000) until one arrives, then answers (an empty list when none did). Null or 0
/// answers at once.
/// </param>
/// <param name="ClaimId">
/// The bot's id for this claim (an addition to job API v1; old servers ignore it). A claim sent again with the same id
/// (a retry after a lost answer) is answered with the jobs the first one leased that the bot still holds, not new ones.
/// </param>
public sealed record ClaimRequest(
    string BotId,
    IReadOnlyList<string> Operations,
    int Limit,
    [property: JsonPropertyName("wait_ms")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    int? WaitMs = null,
    [property: JsonPropertyName("claim_id")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? ClaimId = null);

public sealed record CompleteRequest(string InstanceId, JsonElement Result);

public sealed record FailRequest(string InstanceId, string Error, long? RetryAfterMs = null);

public sealed record ReportResponse(string Status);

/// <summary>
/// A registered bot in GET /v1/bots (an addition): what it offers, the assignment in force, when it was last seen
/// (<see cref="Active"/>: within three heartbeat intervals), how many jobs it holds leased, and the health its latest
/// heartbeat reported (null when that heartbeat had none).
/// </summary>
public sealed record BotView(
    string BotId,
    string BotKey,
    string Version,
    IReadOnlyList<string> Capabilities,
    BotAssignment Assignment,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastSeenAt,
    bool Active,
    int LeasedJobs,
    BotHealth? Health = null);

/// <summary>Answer of GET /v1/bots, by bot_key.</summary>
public sealed record BotListResponse(IReadOnlyList<BotView> Bots);
