using System.Collections.Concurrent;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class ConcurrentClaimTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    private const int JobCount = 2_000;
    private const int Claimers = 8;

    [Fact]
    public async Task Claim_EightConcurrentBots_NeverShareAJobAndCompleteEachOnce()
    {
        var op = TestJobs.NewOp("race");
        for (var batch = 0; batch < JobCount / 1_000; batch++)
        {
            await server.Client.SubmitBatchAsync(
                Enumerable.Range(batch * 1_000, 1_000).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i))).ToList(), TestJobs.Token);
        }

        var claims = new ConcurrentBag<string>();
        var deliveries = new ConcurrentBag<ReportDelivery>();
        var bots = await Task.WhenAll(Enumerable.Range(0, Claimers).Select(async _ =>
        {
            var registration = TestJobs.Registration([op]);
            return (Registration: registration, Bot: await server.Client.RegisterAsync(registration, TestJobs.Token));
        }));

        await Task.WhenAll(bots.Select(b => Task.Run(async () =>
        {
            while (true)
            {
                var jobs = await server.Client.ClaimJobsAsync(b.Bot, 25, op);
                if (jobs.Count == 0)
                {
                    return;
                }

                foreach (var job in jobs)
                {
                    claims.Add(job.Id);
                    deliveries.Add(await server.Client.CompleteAsync(b.Bot, job.Id, b.Registration.InstanceId, job.Payload.GetProperty("n").GetInt32()));
                }
            }
        })));

        Assert.Equal(JobCount, claims.Count);
        Assert.Equal(JobCount, claims.Distinct().Count());
        Assert.All(deliveries, d => Assert.Equal(ReportDelivery.Accepted, d));
        Assert.Equal(new JobStatusCounts(0, 0, JobCount, 0), (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op]);
        var attempts = await ReadAttemptCountsAsync(op);
        Assert.Equal(JobCount, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(1, a));
    }

    private async Task<List<int>> ReadAttemptCountsAsync(string op)
    {
        var counts = new List<int>();
        string? cursor = null;
        do
        {
            var url = $"v1/jobs?op={op}&status=completed&limit=1000" + (cursor is null ? string.Empty : "&cursor=" + cursor);
            using var page = JsonDocument.Parse(await server.Http.GetStringAsync(url, TestJobs.Token));
            counts.AddRange(page.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("attempts").GetArrayLength()));
            cursor = page.RootElement.TryGetProperty("cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        return counts;
    }
}
