using System.Collections.Immutable;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// What registration gave this bot: its server id, its token and the limits it must keep —
/// the bot's own definition narrowed by the server's assignment and config.
/// </summary>
/// <param name="ClaimWait">How long a claim may wait at the server for work (long poll); zero when the server offers none.</param>
public sealed record BotSession(
    string BotId,
    string AccessToken,
    ImmutableArray<string> Operations,
    int MaxConcurrency,
    int ClaimBatchSize,
    bool Paused,
    TimeSpan HeartbeatInterval,
    TimeSpan ClaimWait = default)
{
    /// <summary>Largest result the server takes (config.max_result_bytes, else the contract's 1 MiB).</summary>
    public int MaxResultBytes { get; init; } = BotFleet.JobApi.Contracts.BotConfigDefaults.MaxResultBytes;
}
