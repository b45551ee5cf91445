namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// What the idle scenario runs: <paramref name="Bots"/> started bots, registration allowed <paramref name="RegisterTimeout"/>,
/// then <paramref name="Settle"/> and a measured <paramref name="Window"/>; a 0-bot baseline of the same setup first
/// unless <paramref name="Baseline"/> is off.
/// </summary>
internal sealed record IdleSettings(
    int Bots,
    int MaxConcurrency,
    int ClaimBatchSize,
    TimeSpan Settle,
    TimeSpan Window,
    TimeSpan RegisterTimeout,
    bool Baseline,
    bool StandaloneServer,
    bool CountRequests);
