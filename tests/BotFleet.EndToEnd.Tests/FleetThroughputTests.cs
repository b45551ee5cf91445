using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>Real job server on loopback, real bots in a silo: 1,000 jobs, each completed exactly once.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class FleetThroughputTests
{
    [Fact]
    public async Task ThreeBots_Complete1000JobsOverLoopback_EachExactlyOnceAndNoneLeftLeased()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        var submitted = Enumerable.Range(0, 1_000)
            .Select(i => (i % 3) switch
            {
                0 => new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = i, b = 1 })),
                1 => new SubmitJobRequest("multiply", JsonSerializer.SerializeToElement(new { a = i, b = 2 })),
                _ => new SubmitJobRequest("echo", JsonSerializer.SerializeToElement(new { i })),
            })
            .ToList();
        var ids = await server.Producer.SubmitBatchAsync(submitted, ct);
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            await fleet.StartBotAsync("math-1", new BotDefinition { Operations = ["sum", "multiply"], MaxConcurrency = 10 });
            await fleet.StartBotAsync("math-2", new BotDefinition { Operations = ["sum", "multiply"], MaxConcurrency = 10 });
            await fleet.StartBotAsync("echo-1", new BotDefinition { Operations = ["echo"], MaxConcurrency = 10 });

            var stats = await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 1_000, "1,000 jobs completed", TimeSpan.FromMinutes(3));
            var fleetStatus = await fleet.GetStatusAsync();

            Assert.Equal(new JobStatusCounts(0, 0, 1_000, 0), stats.Jobs);
            Assert.Equal(1_000, ids.Distinct().Count());
            Assert.Equal(1_000, fleetStatus.Bots.Sum(b => b.JobsCompleted));
            Assert.All(fleetStatus.Bots, b => Assert.InRange(b.PeakInFlight, 1, 10));
            Assert.All(fleetStatus.Bots, b => Assert.Equal((0, 0L, 0L), (b.OutboxSize, b.JobsFailed, b.ReportsDropped)));
            for (var i = 0; i < ids.Count; i++)
            {
                var job = await server.Producer.GetJobAsync(ids[i], ct);
                Assert.NotNull(job);
                Assert.Equal(JobStatuses.Completed, job.Status);
                Assert.Equal("completed", Assert.Single(job.Attempts).Outcome);
                var expected = (i % 3) switch
                {
                    0 => $$"""{"value":{{i + 1}}}""",
                    1 => $$"""{"value":{{i * 2}}}""",
                    _ => $$"""{"i":{{i}}}""",
                };
                Assert.Equal(expected, job.Result!.Value.GetRawText());
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
