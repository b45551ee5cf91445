using System.Text.Json.Serialization;
using System.Text.Json;

namespace BotFleet.JobApi.Wire;

// Bot-facing shapes of job-api-v1.md. Field names are produced by JobApiJson's snake_case policy.

public sealed record BotResources(int CpuCores, int MemMb);

public sealed record RegisterBotRequest(
    string BotKey,
    string InstanceId,
    string Version,
    IReadOnlyList<string> Capabilities,
    BotResources Resources,
    JsonElement? Constraints = null,
    JsonElement? Meta = null);

public sealed record BotAuth(string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record BotAssignment(IReadOnlyList<string> Operations, int MaxConcurrency, bool Paused);

/// <param name="MaxClaimWaitMs">
/// Longest wait_ms this server honours on a claim (an addition to job API v1): a bot long-polls only a server that
/// names it. Null (older servers) or 0: no long polling.
/// </param>
public sealed record BotConfig(int HeartbeatInterval, int ClaimBatchSize, int JobLeaseTtl, int? MaxClaimWaitMs = null);

public sealed record BotEndpoints(string Heartbeat, string Claim, string Report);

public sealed record RegisterBotResponse(
    string BotId,
    BotAuth Auth,
    BotAssignment Assignment,
    BotConfig Config,
    BotEndpoints Endpoints);

public sealed record RunningJob(string JobId, string Op, long ElapsedMs, DateTimeOffset? LeaseUntil);

public sealed record BotMetrics(double Cpu, long MemMb);

public sealed record HeartbeatRequest(string InstanceId, IReadOnlyList<RunningJob> Running, BotMetrics? Metrics = null);

public sealed record JobLease(string JobId, DateTimeOffset LeaseUntil);

public sealed record HeartbeatResponse(
    DateTimeOffset LeaseExtendedTo,
    BotAssignment? Assignment = null,
    IReadOnlyList<JobLease>? Leases = null);

/// <param name="WaitMs">
/// Long poll (an addition to job API v1; old servers ignore it): when no job is ready, the server may hold the claim
/// up to this many milliseconds (0..30000) until one arrives, then answers (an empty list when none did). Null or 0
/// answers at once.
/// </param>
public sealed record ClaimRequest(
    string BotId,
    IReadOnlyList<string> Operations,
    int Limit,
    [property: JsonPropertyName("wait_ms")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    int? WaitMs = null);

/// <summary>
/// Claim answer. Jobs stay raw JSON so that one malformed job never spoils the whole batch:
/// each is validated on its own by <see cref="ClaimedJobParser"/>.
/// </summary>
public sealed record ClaimResponse(IReadOnlyList<JsonElement> Jobs, string? Cursor = null);

public sealed record CompleteRequest(string InstanceId, JsonElement Result);

public sealed record FailRequest(string InstanceId, string Error, long? RetryAfterMs = null);

public sealed record ReportResponse(string Status);
