using BotFleet.LoadBench.Api;

namespace BotFleet.LoadBench.Measurement;

/// <summary>
/// Claim→report latency as the job server saw it: for a random sample of finished jobs, GET /v1/jobs/{id} and take
/// ended − started of the last attempt (started when claimed, ended when the report arrived). Read after the run,
/// so these calls are not in the run's CPU figures.
/// </summary>
internal static class AttemptSampler
{
    public static async Task<IReadOnlyList<Metric>> SampleAsync(JobApiDriver api, IReadOnlyList<string> ids, int sampleSize, CancellationToken cancellationToken)
    {
        var sample = ids.Count <= sampleSize ? [.. ids] : Random.Shared.GetItems(ids.ToArray(), sampleSize);
        var latencies = new List<double>(sample.Length);
        var attempts = 0L;
        foreach (var id in sample)
        {
            var job = await api.GetJobAsync(id, cancellationToken);
            attempts += job.Attempts?.Count ?? 0;
            if (job.Attempts is [.., { Ended: { } ended } last])
            {
                latencies.Add((ended - last.Started).TotalMilliseconds);
            }
        }

        latencies.Sort();
        return
        [
            new Metric("claim_to_report_ms.p50", Percentiles.Of(latencies, 50), "ms"),
            new Metric("claim_to_report_ms.p99", Percentiles.Of(latencies, 99), "ms"),
            new Metric("claim_to_report_ms.max", latencies.Count == 0 ? null : latencies[^1], "ms"),
            new Metric("attempts_per_job.mean", sample.Length == 0 ? null : (double)attempts / sample.Length, ""),
        ];
    }
}
