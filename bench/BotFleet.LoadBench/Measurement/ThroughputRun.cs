using System.Diagnostics;
using BotFleet.LoadBench.Api;
using BotFleet.LoadBench.Hosting;

namespace BotFleet.LoadBench.Measurement;

/// <summary>What a throughput run submits and how long it may stall.</summary>
internal sealed record ThroughputSettings(int Jobs, int BatchSize, int LatencySample, TimeSpan StallTimeout);

/// <summary>
/// Submits N sum jobs in batches (one request after another, as a producer would) while the fleet works, polls
/// GET /v1/stats every 100 ms until every job is completed or dead, and reports the rate from the first submit to
/// the first poll that saw them all done. Aborts when neither submissions nor finished jobs advance for the stall timeout.
/// </summary>
internal static class ThroughputRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<Metric>> RunAsync(Deployment deployment, ThroughputSettings settings, CancellationToken cancellationToken)
    {
        var api = deployment.Api;
        var ids = new List<string>(settings.Jobs);
        var submitted = 0;
        foreach (var process in deployment.Measured)
        {
            process.Start();
        }

        var rateLimitedBefore = deployment.CountRateLimited();
        var harness429Before = api.TooManyRequests;
        var harnessCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var submitting = Task.Run(async () =>
        {
            for (var first = 0; first < settings.Jobs; first += settings.BatchSize)
            {
                var batch = Enumerable.Range(first, Math.Min(settings.BatchSize, settings.Jobs - first)).Select(JobApiDriver.SumJob).ToList();
                var answer = await api.SubmitAsync(batch, stop.Token);
                lock (ids)
                {
                    ids.AddRange(answer);
                }

                Volatile.Write(ref submitted, first + batch.Count);
            }

            return clock.Elapsed;
        }, stop.Token);

        try
        {
            var lastProgress = clock.Elapsed;
            var lastSample = clock.Elapsed;
            var lastFinished = -1L;
            var lastSubmitted = 0;
            JobCounts counts;
            while (true)
            {
                await Task.Delay(PollInterval, cancellationToken);
                deployment.ThrowIfAnyExited();
                if (submitting.IsFaulted)
                {
                    await submitting;
                }

                counts = (await api.GetStatsAsync(cancellationToken)).Jobs;
                var now = clock.Elapsed;
                if (counts.Finished >= settings.Jobs && submitting.IsCompleted)
                {
                    break;
                }

                var sent = Volatile.Read(ref submitted);
                if (counts.Finished != lastFinished || sent != lastSubmitted)
                {
                    (lastFinished, lastSubmitted, lastProgress) = (counts.Finished, sent, now);
                }
                else if (now - lastProgress > settings.StallTimeout)
                {
                    throw new BenchException(
                        $"No progress for {settings.StallTimeout.TotalSeconds:0} s: {sent:N0} of {settings.Jobs:N0} submitted, " +
                        $"{counts.Completed:N0} completed, {counts.Dead:N0} dead, {counts.Pending:N0} pending, {counts.Leased:N0} leased.");
                }

                if (now - lastSample >= SampleInterval)
                {
                    deployment.Measured.ForEach(p => p.Sample());
                    lastSample = now;
                }
            }

            var wall = clock.Elapsed.TotalSeconds;
            var costs = deployment.Measured.Select(p => p.Stop()).ToList();
            var harness = (Process.GetCurrentProcess().TotalProcessorTime - harnessCpu).TotalSeconds;
            var submitSeconds = (await submitting).TotalSeconds;
            var rateLimited = deployment.CountRateLimited() - rateLimitedBefore;
            var harness429 = api.TooManyRequests - harness429Before;

            List<Metric> metrics =
            [
                new("jobs", settings.Jobs, ""),
                new("completed", counts.Completed, ""),
                new("dead", counts.Dead, ""),
                new("wall_s", Math.Round(wall, 3), "s"),
                new("jobs_per_s", Math.Round(settings.Jobs / wall, 1), "jobs/s"),
                new("submit_s", Math.Round(submitSeconds, 3), "s"),
                .. CostMetrics.For(costs, settings.Jobs),
                new("cpu_s.harness", Math.Round(harness, 3), "s"),
                .. await AttemptSampler.SampleAsync(api, ids, settings.LatencySample, cancellationToken),
                new("http_429.server_log", rateLimited, ""),
                new("http_429.harness", harness429, ""),
            ];
            return metrics;
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await submitting;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested || stop.IsCancellationRequested)
            {
                // Stopped with the run; its own failure, if any, was already thrown above.
            }
        }
    }
}
