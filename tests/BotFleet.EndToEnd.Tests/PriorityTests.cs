using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>Priority order through a real bot and the real server: high before normal before low, then oldest first.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class PriorityTests
{
    [Fact]
    public async Task OneSlotBot_RunsQueuedJobsHighestPriorityFirst_ThenOldest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        string[] priorities = ["low", "normal", "high", "normal", "low", "high", "high", "low", "normal"];
        var ids = await server.Producer.SubmitBatchAsync(
            [.. priorities.Select(p => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 20 }), Priority: p))], ct);
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            await fleet.StartBotAsync("one-slot", new BotDefinition { Operations = ["sleep"], MaxConcurrency = 1, ClaimBatchSize = 1 });
            await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == ids.Count, "every job completed", TimeSpan.FromSeconds(30));

            var started = new List<(DateTimeOffset Started, string Id)>();
            foreach (var id in ids)
            {
                var job = await server.Producer.GetJobAsync(id, ct);
                started.Add((Assert.Single(job!.Attempts).Started, id));
            }

            var runOrder = started.OrderBy(s => s.Started).Select(s => s.Id).ToList();
            var expected = ids.Select((id, i) => (id, i, Rank: Array.IndexOf(["high", "normal", "low"], priorities[i])))
                .OrderBy(j => j.Rank).ThenBy(j => j.i).Select(j => j.id).ToList();
            Assert.Equal(expected, runOrder);
            Assert.Equal(ids.Count, started.Select(s => s.Started).Distinct().Count());
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
