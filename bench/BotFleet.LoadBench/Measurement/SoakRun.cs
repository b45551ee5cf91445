using System.Diagnostics;
using BotFleet.LoadBench.Api;
using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// Steady load: a producer submits sum jobs at a fixed rate (batch k is due at k × batch / rate s; a late producer
/// sends the next batch at once) while the fleet drains them; every sample interval the silo's RSS and CPU and the
/// queue are read. Reports the RSS slope over the second half (least squares, MiB per 10 min) and whether the queue kept up.
/// </summary>
internal static class SoakRun
{
    public static async Task<IReadOnlyList<Metric>> RunAsync(Deployment deployment, SoakSettings settings, CancellationToken cancellationToken)
    {
        var api = deployment.Api;
        var silo = deployment.Measured[0];
        var samples = new List<SoakSample>();
        var submitted = 0L;
        deployment.Measured.ForEach(p => p.Start());
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producing = Task.Run(async () =>
        {
            var interval = TimeSpan.FromSeconds(settings.BatchSize / (double)settings.Rate);
            for (var k = 0L; ; k++)
            {
                var due = interval * k;
                if (due >= settings.Duration)
                {
                    return;
                }

                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, stop.Token);
                }

                var first = (int)(k * settings.BatchSize % int.MaxValue);
                await api.SubmitAsync([.. Enumerable.Range(first, settings.BatchSize).Select(JobApiDriver.SumJob)], stop.Token);
                Interlocked.Add(ref submitted, settings.BatchSize);
            }
        }, stop.Token);

        try
        {
            var lastCpu = ProcessCpu.ReadCpuSeconds(silo.Pid, includeChildren: false) ?? 0;
            var lastAt = TimeSpan.Zero;
            while (true)
            {
                var next = lastAt + settings.SampleInterval;
                var end = next >= settings.Duration;
                var wait = (end ? settings.Duration : next) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                deployment.ThrowIfAnyExited();
                if (producing.IsFaulted)
                {
                    await producing;
                }

                var now = clock.Elapsed;
                var cpu = ProcessCpu.ReadCpuSeconds(silo.Pid, includeChildren: false) ?? lastCpu;
                silo.Sample();
                var jobs = (await api.GetStatsAsync(cancellationToken)).Jobs;
                var sample = new SoakSample(now.TotalSeconds, ProcessCpu.ReadRssBytes(silo.Pid), (cpu - lastCpu) / (now - lastAt).TotalSeconds * 100,
                    jobs.Pending, jobs.Leased, jobs.Completed, Interlocked.Read(ref submitted));
                samples.Add(sample);
                Console.WriteLine(
                    $"[soak] {sample.Seconds,6:0} s: submitted {sample.Submitted,10:N0}  completed {sample.Completed,10:N0}  pending {sample.Pending,8:N0}  " +
                    $"leased {sample.Leased,6:N0}  silo RSS {sample.RssBytes / 1048576.0,7:0.0} MiB  CPU {sample.CpuPercent,5:0.0} %");
                (lastCpu, lastAt) = (cpu, now);
                if (end)
                {
                    break;
                }
            }

            await producing;
            var final = (await api.GetStatsAsync(cancellationToken)).Jobs;
            var wall = clock.Elapsed.TotalSeconds;
            var costs = deployment.Measured.Select(p => p.Stop()).ToList();
            var secondHalf = samples.Where(s => s.Seconds >= settings.Duration.TotalSeconds / 2).ToList();
            var rssSlope = LeastSquares.Slope([.. secondHalf.Select(s => (s.Seconds, s.RssBytes / 1048576.0))]);
            var pendingSlope = LeastSquares.Slope([.. secondHalf.Select(s => (s.Seconds, (double)s.Pending))]);
            var total = Interlocked.Read(ref submitted);
            var submitRate = total / settings.Duration.TotalSeconds;
            var keptUp = final.Pending <= settings.Rate * 10 && submitRate >= settings.Rate * 0.99;
            return
            [
                new("duration_s", Math.Round(wall, 1), "s"),
                new("rate_target", settings.Rate, "jobs/s"),
                new("submitted", total, ""),
                new("submit_rate", Math.Round(submitRate, 1), "jobs/s"),
                new("completed", final.Completed, ""),
                new("completed_per_s", Math.Round(final.Completed / wall, 1), "jobs/s"),
                new("dead", final.Dead, ""),
                new("pending_end", final.Pending, ""),
                new("pending_max", samples.Max(s => s.Pending), ""),
                new("pending_slope_per_min", pendingSlope is { } p ? Math.Round(p * 60, 1) : null, "jobs/min"),
                new("kept_up", keptUp ? 1 : 0, "1=yes"),
                new("rss_mb.silo.first", Math.Round(samples[0].RssBytes / 1048576.0, 1), "MiB"),
                new("rss_mb.silo.last", Math.Round(samples[^1].RssBytes / 1048576.0, 1), "MiB"),
                new("rss_mb.silo.max", Math.Round(samples.Max(s => s.RssBytes) / 1048576.0, 1), "MiB"),
                new("rss_slope_mib_per_10min", rssSlope is { } r ? Math.Round(r * 600, 2) : null, "MiB/10min"),
                new("cpu_pct.silo.mean", Math.Round(costs[0].CpuSeconds / wall * 100, 1), "% core"),
                new("samples", samples.Count, ""),
                .. CostMetrics.For(costs, final.Completed),
            ];
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await producing;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested || stop.IsCancellationRequested)
            {
                // Stopped with the run; its own failure, if any, was already thrown above.
            }
        }
    }
}
