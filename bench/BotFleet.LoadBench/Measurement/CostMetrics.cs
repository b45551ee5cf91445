using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Measurement;

/// <summary>CPU seconds, CPU ms per job, peak RSS and (.NET processes) allocations of each measured process, and the totals.</summary>
internal static class CostMetrics
{
    public static IEnumerable<Metric> For(IReadOnlyList<ProcessCost> costs, long jobs)
    {
        foreach (var cost in costs)
        {
            yield return new Metric($"cpu_s.{cost.Name}", cost.CpuSeconds, "s");
            yield return new Metric($"cpu_ms_per_job.{cost.Name}", PerJob(cost.CpuSeconds, jobs), "ms");
            yield return new Metric($"peak_rss_mb.{cost.Name}", Math.Round(cost.PeakRssBytes / 1048576.0, 1), "MiB");
            if (cost.AllocatedBytes is { } allocated)
            {
                yield return new Metric($"alloc_mb.{cost.Name}", Math.Round(allocated / 1048576.0, 1), "MiB");
                yield return new Metric($"alloc_kib_per_job.{cost.Name}", jobs == 0 ? null : Math.Round(allocated / 1024.0 / jobs, 2), "KiB");
            }
        }

        var total = costs.Sum(c => c.CpuSeconds);
        yield return new Metric("cpu_s.total", Math.Round(total, 3), "s");
        yield return new Metric("cpu_ms_per_job.total", PerJob(total, jobs), "ms");
        if (costs.Any(c => c.AllocatedBytes is not null))
        {
            var allocated = costs.Sum(c => c.AllocatedBytes ?? 0);
            yield return new Metric("alloc_kib_per_job.total", jobs == 0 ? null : Math.Round(allocated / 1024.0 / jobs, 2), "KiB");
        }
    }

    private static double? PerJob(double cpuSeconds, long jobs) => jobs == 0 ? null : Math.Round(cpuSeconds * 1000 / jobs, 3);
}
