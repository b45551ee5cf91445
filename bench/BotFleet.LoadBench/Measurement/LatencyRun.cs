using System.Diagnostics;
using BotFleet.LoadBench.Api;
using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Measurement;

/// <summary>How many single-job samples a latency run takes, after how many warm-up ones, and how it polls.</summary>
internal sealed record LatencySettings(int Samples, int Warmup, TimeSpan PollInterval, TimeSpan MaxPause, TimeSpan StallTimeout);

/// <summary>
/// Against an idle fleet: submit ONE sum job, poll GET /v1/jobs/{id} every poll interval until it is completed,
/// and record submit→completed-visible on the harness's clock (from before the POST to the answer that shows it
/// completed). A random pause of up to MaxPause between samples keeps them from lining up with the bots' ticks.
/// </summary>
internal static class LatencyRun
{
    public static async Task<IReadOnlyList<Metric>> RunAsync(Deployment deployment, LatencySettings settings, CancellationToken cancellationToken)
    {
        var api = deployment.Api;
        for (var i = 0; i < settings.Warmup; i++)
        {
            await SampleOnceAsync(deployment, i, settings, cancellationToken);
        }

        foreach (var process in deployment.Measured)
        {
            process.Start();
        }

        var rateLimitedBefore = deployment.CountRateLimited();
        var harness429Before = api.TooManyRequests;

        var latencies = new List<double>(settings.Samples);
        var ids = new List<string>(settings.Samples);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < settings.Samples; i++)
        {
            await Task.Delay(Random.Shared.Next(0, (int)settings.MaxPause.TotalMilliseconds + 1), cancellationToken);
            var (id, elapsed) = await SampleOnceAsync(deployment, settings.Warmup + i, settings, cancellationToken);
            ids.Add(id);
            latencies.Add(Math.Round(elapsed.TotalMilliseconds, 1));
            if (i % 10 == 0)
            {
                deployment.Measured.ForEach(p => p.Sample());
            }
        }

        var wall = clock.Elapsed.TotalSeconds;
        var costs = deployment.Measured.Select(p => p.Stop()).ToList();
        var rateLimited = deployment.CountRateLimited() - rateLimitedBefore;
        var harness429 = api.TooManyRequests - harness429Before;
        latencies.Sort();
        return
        [
            new("samples", settings.Samples, ""),
            new("submit_to_completed_ms.p50", Percentiles.Of(latencies, 50), "ms"),
            new("submit_to_completed_ms.p95", Percentiles.Of(latencies, 95), "ms"),
            new("submit_to_completed_ms.p99", Percentiles.Of(latencies, 99), "ms"),
            new("submit_to_completed_ms.max", latencies[^1], "ms"),
            new("submit_to_completed_ms.mean", Math.Round(latencies.Average(), 1), "ms"),
            new("wall_s", Math.Round(wall, 3), "s"),
            .. CostMetrics.For(costs, settings.Samples),
            .. await AttemptSampler.SampleAsync(api, ids, ids.Count, cancellationToken),
            new("http_429.server_log", rateLimited, ""),
            new("http_429.harness", harness429, ""),
        ];
    }

    private static async Task<(string Id, TimeSpan Elapsed)> SampleOnceAsync(Deployment deployment, int i, LatencySettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var id = (await deployment.Api.SubmitAsync([JobApiDriver.SumJob(i)], cancellationToken))[0];
        while (true)
        {
            var job = await deployment.Api.GetJobAsync(id, cancellationToken);
            if (job.Status is "completed")
            {
                return (id, clock.Elapsed);
            }

            if (job.Status is "dead")
            {
                throw new BenchException($"Job {id} ended dead.");
            }

            if (clock.Elapsed > settings.StallTimeout)
            {
                deployment.ThrowIfAnyExited();
                throw new BenchException($"Job {id} was not completed within {settings.StallTimeout.TotalSeconds:0} s (status {job.Status}).");
            }

            await Task.Delay(settings.PollInterval, cancellationToken);
        }
    }
}
