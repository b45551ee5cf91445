using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;

namespace BotFleet.EndToEnd.Tests;

/// <summary>Our bots against a job server that implements only what job API v1 requires (not ours).</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class MinimalServerTests
{
    [Fact]
    public async Task BotsOnAMinimalServer_RegisterWithRequiredFieldsOnly_FallBackToSingleReports_AndCompleteEveryJob()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await MinimalJobServer.StartAsync();
        const int jobs = 60;
        for (var i = 0; i < jobs; i++)
        {
            server.Enqueue($"job_{i:D3}", "sum", new { a = i, b = 100 });
        }

        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            await fleet.StartBotAsync("minimal-1", new BotDefinition { Operations = ["sum"], MaxConcurrency = 8, ClaimBatchSize = 10 });
            await fleet.StartBotAsync("minimal-2", new BotDefinition { Operations = ["sum"], MaxConcurrency = 8, ClaimBatchSize = 10 });

            await Eventually.ValueAsync(() => Task.FromResult(server.Reports.Count), n => n >= jobs, $"{jobs} reports", TimeSpan.FromSeconds(30));
            var status = await fleet.GetStatusAsync();

            Assert.Equal(
                Enumerable.Range(0, jobs).Select(i => ($"job_{i:D3}", "complete", $$"""{"value":{{i + 100}}}""")),
                server.Reports.OrderBy(r => r.JobId, StringComparer.Ordinal));
            Assert.All(status.Bots, b => Assert.Equal((BotState.Active, 0, 0L), (b.State, b.OutboxSize, b.ReportsDropped)));
            Assert.Equal(jobs, status.Bots.Sum(b => b.JobsCompleted));
            Assert.True(server.Claims >= 6, $"{server.Claims} claims for {jobs} jobs in batches of at most 10");
            // Nothing but the batch endpoint was asked of it, and that at most once per bot (then single reports).
            Assert.All(server.UnknownPaths, p => Assert.Equal("POST /v1/jobs/reports", p.Key));
            Assert.InRange(server.UnknownPaths.Values.Sum(), 0, 2);
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
