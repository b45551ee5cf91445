namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// What the outbox scenario runs: <paramref name="Reports"/> sleep jobs of <paramref name="SleepMs"/> each over
/// <paramref name="Bots"/> bots × <paramref name="MaxConcurrency"/>, the job server killed once all are claimed.
/// </summary>
internal sealed record OutboxSettings(
    int Reports,
    int Bots,
    int MaxConcurrency,
    int ClaimBatchSize,
    int SleepMs,
    int BatchSize,
    TimeSpan StallTimeout);
