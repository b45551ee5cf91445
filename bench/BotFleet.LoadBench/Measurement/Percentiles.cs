namespace BotFleet.LoadBench.Measurement;

/// <summary>Nearest-rank percentiles and the median (of repeats).</summary>
internal static class Percentiles
{
    /// <summary>The value at or below which <paramref name="percent"/>% of the values lie (nearest rank); null when empty.</summary>
    public static double? Of(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The median (mean of the middle two for an even count); null when empty.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
