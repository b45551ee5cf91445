namespace BotFleet.LoadBench.Measurement;

/// <summary>One sample of a soak run: seconds since the start, silo RSS, silo CPU % of a core since the last sample, queue.</summary>
internal sealed record SoakSample(double Seconds, long RssBytes, double CpuPercent, long Pending, long Leased, long Completed, long Submitted);
