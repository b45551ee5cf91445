using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// Real server, real bots, and a network that fails one call in five in every way it can: 429 with
/// Retry-After, 500, 503, 401, refused connections, and answers lost after the server acted.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class ChaosTests
{
    private const int Jobs = 300;

    [Fact]
    public async Task UnderChaos_EveryJobEndsCompletedOnceWithItsResult_NothingIsLost_AndTheOutboxesDrain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), settings: new Dictionary<string, string?>
        {
            // Short leases, so jobs whose claim answer was lost come back within the test.
            ["JobServer:JobLeaseTtl"] = "00:00:05",
            ["JobServer:HeartbeatInterval"] = "00:00:01",
            ["JobServer:LeaseSweepInterval"] = "00:00:01",
        });
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, Jobs).Select(i => i % 2 == 0
                ? new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = i, b = 1 }), MaxAttempts: 50)
                : new SubmitJobRequest("echo", JsonSerializer.SerializeToElement(new { i }), MaxAttempts: 50))],
            ct);
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        IReadOnlyDictionary<ChaosFault, int> injected;
        try
        {
            FaultInjectingHandler.StartChaos(rate: 0.2, seed: 20261127);
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            foreach (var key in new[] { "chaos-1", "chaos-2", "chaos-3" })
            {
                await fleet.StartBotAsync(key, new BotDefinition { Operations = ["sum", "echo"], MaxConcurrency = 8, ClaimBatchSize = 8 });
            }

            await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed >= Jobs / 2, "half the jobs completed under chaos", TimeSpan.FromMinutes(2));
            injected = FaultInjectingHandler.StopChaos();

            var stats = await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == Jobs, "every job completed after the chaos", TimeSpan.FromMinutes(2));
            var drained = await Eventually.ValueAsync(fleet.GetStatusAsync, f => f.Bots.All(b => b.OutboxSize == 0 && b.InFlight == 0), "every outbox drained", TimeSpan.FromMinutes(1));

            Assert.Equal(new JobStatusCounts(0, 0, Jobs, 0), stats.Jobs);
            Assert.All(injected, pair => Assert.True(pair.Value > 0, $"no {pair.Key} was injected: {string.Join(", ", injected)}"));
            Assert.All(drained.Bots, b => Assert.Equal(0, b.ReportsDropped));
            for (var i = 0; i < Jobs; i++)
            {
                var job = await server.Producer.GetJobAsync(ids[i], ct);
                Assert.NotNull(job);
                Assert.Equal(i % 2 == 0 ? $$"""{"value":{{i + 1}}}""" : $$"""{"i":{{i}}}""", job.Result!.Value.GetRawText());

                // Completed exactly once; any earlier attempt was a lease lost with its claim's answer.
                Assert.Equal(["completed"], job.Attempts.Select(a => a.Outcome).Where(o => o != "lost"));
                Assert.Equal("completed", job.Attempts[^1].Outcome);
                Assert.Empty(AttemptOverlap.Find(job));
            }
        }
        finally
        {
            FaultInjectingHandler.StopChaos();
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
