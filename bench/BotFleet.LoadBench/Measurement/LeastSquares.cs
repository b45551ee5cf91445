namespace BotFleet.LoadBench.Measurement;

/// <summary>The slope of the least-squares line through (x, y) points; null with fewer than two distinct x.</summary>
internal static class LeastSquares
{
    public static double? Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return null;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return sxx == 0 ? null : points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
    }
}
