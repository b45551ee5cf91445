namespace BotFleet.JobApi.Contracts;

/// <summary>
/// What a bot tells the server of itself with each heartbeat, for operators (an addition to job API v1): the reports
/// waiting in its outbox, and the error that keeps it from working normally (null while it does).
/// </summary>
public sealed record BotHealth(int OutboxSize, string? LastError = null)
{
    /// <summary>Longest <see cref="LastError"/> a server takes; a bot shortens a longer one.</summary>
    public const int MaxLastErrorLength = 1_000;

    /// <summary>The health to send: <paramref name="lastError"/> cut to <see cref="MaxLastErrorLength"/>.</summary>
    public static BotHealth Of(int outboxSize, string? lastError) =>
        new(outboxSize, lastError is { Length: > MaxLastErrorLength } ? lastError[..(MaxLastErrorLength - 1)] + "…" : lastError);
}
