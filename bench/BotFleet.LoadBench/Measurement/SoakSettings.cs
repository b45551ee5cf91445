namespace BotFleet.LoadBench.Measurement;

/// <summary>What the soak scenario runs: sum jobs at <paramref name="Rate"/> per second in batches, for <paramref name="Duration"/>.</summary>
internal sealed record SoakSettings(TimeSpan Duration, int Rate, int BatchSize, TimeSpan SampleInterval);
