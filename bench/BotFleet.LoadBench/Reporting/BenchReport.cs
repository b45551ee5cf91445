using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Reporting;

/// <summary>Every run of one scenario invocation, and the per-metric median across them.</summary>
internal sealed class BenchReport(string scenario, string? commit, DateTimeOffset startedAt, IReadOnlyDictionary<string, string> settings)
{
    public string Scenario { get; } = scenario;

    public string? Commit { get; } = commit;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public IReadOnlyDictionary<string, string> Settings { get; } = settings;

    public List<IReadOnlyList<Metric>> Runs { get; } = [];

    /// <summary>The median of each metric over the runs (metrics in the order of the first run).</summary>
    public IReadOnlyList<Metric> Median()
    {
        if (Runs.Count == 0)
        {
            return [];
        }

        return [.. Runs[0].Select(first => first with
        {
            Value = Percentiles.Median(Runs.SelectMany(r => r.Where(m => m.Name == first.Name && m.Value is not null).Select(m => m.Value!.Value))) is { } median
                ? Math.Round(median, 3)
                : null,
        })];
    }
}
