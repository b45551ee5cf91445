namespace BotFleet.LoadBench.Measurement;

/// <summary>One figure of a run: a dotted name ("cpu_s.silo"), its value (null when not measured) and unit.</summary>
internal sealed record Metric(string Name, double? Value, string Unit);
