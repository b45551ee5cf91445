using System.Collections.Immutable;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// What registration gave this bot: its server id, its token and the limits it must keep —
/// the bot's own definition narrowed by the server's assignment and config.
/// </summary>
public sealed record BotSession(
    string BotId,
    string AccessToken,
    ImmutableArray<string> Operations,
    int MaxConcurrency,
    int ClaimBatchSize,
    bool Paused,
    TimeSpan HeartbeatInterval);
