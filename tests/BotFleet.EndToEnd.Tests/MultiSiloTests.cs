using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>The cluster shape: two silos on PostgreSQL, a job server on PostgreSQL, bots spread by Orleans.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class MultiSiloTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TwoSilosOnPostgreSql_TwelveBots_SpreadOverBothSilos_Complete1000JobsEachExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("unused.db"), settings: new Dictionary<string, string?>
        {
            ["JobServer:Store"] = "PostgreSql",
            ["JobServer:PostgreSqlConnectionString"] = await postgres.CreateDatabaseAsync(),
        });
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 1_000).Select(i => new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = i, b = i })))], ct);
        await using var cluster = BotFleetTestSilo.BuildOnPostgreSql(server.Address, await postgres.CreateDatabaseAsync(), silos: 2);
        await cluster.DeployAsync(ct);
        try
        {
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            for (var i = 0; i < 12; i++)
            {
                await fleet.StartBotAsync($"cluster-bot-{i}", new BotDefinition { Operations = ["sum"], MaxConcurrency = 8 });
            }

            var stats = await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 1_000, "1,000 jobs completed", TimeSpan.FromMinutes(3));
            var status = await fleet.GetStatusAsync();

            Assert.Equal(2, cluster.Silos.Count);
            // Placement spreads the bots: both silos run some (all twelve on one by chance: 1 in 2,048 with random placement).
            var silos = status.Bots.GroupBy(b => b.Silo).ToDictionary(g => g.Key ?? "?", g => g.Count());
            Assert.True(silos.Count == 2, $"bots per silo: {string.Join(", ", silos.Select(s => $"{s.Key}: {s.Value}"))}");
            Assert.Equal(new JobStatusCounts(0, 0, 1_000, 0), stats.Jobs);
            Assert.Equal(1_000, status.Bots.Sum(b => b.JobsCompleted));
            Assert.All(status.Bots, b => Assert.InRange(b.PeakInFlight, 0, 8));
            for (var i = 0; i < ids.Count; i++)
            {
                var job = await server.Producer.GetJobAsync(ids[i], ct);
                Assert.Equal("completed", Assert.Single(job!.Attempts).Outcome);
                Assert.Empty(AttemptOverlap.Find(job));
                Assert.Equal($$"""{"value":{{2 * i}}}""", job.Result!.Value.GetRawText());
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
