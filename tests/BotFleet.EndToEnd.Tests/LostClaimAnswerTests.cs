using System.Diagnostics;
using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// A claim whose answer is lost on the way back (the server leased the jobs, the bot never heard): the bot sends it
/// again with the same claim_id and the server answers with the same jobs, so none waits out its 300 s lease.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class LostClaimAnswerTests
{
    [Fact]
    public async Task ClaimAnswerLost_TheRetryGetsTheSameJobs_AndEachRunsOnceWithinSeconds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 5).Select(i => new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = i, b = 10 })))], ct);
        var toLose = FaultInjectingHandler.LoseNextClaimAnswers(1);
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            await fleet.StartBotAsync("lost-answer", new BotDefinition { Operations = ["sum"], MaxConcurrency = 10, ClaimBatchSize = 10 });

            var stats = await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 5, "all five completed", TimeSpan.FromSeconds(30));
            clock.Stop();

            Assert.True(toLose() < 0, "the first claim's answer was lost");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}; a stranded lease would hold for 300 s");
            Assert.Equal((0L, 0L, 0L), (stats.Jobs.Pending, stats.Jobs.Leased, stats.Jobs.Dead));
            for (var i = 0; i < ids.Count; i++)
            {
                var job = await server.Producer.GetJobAsync(ids[i], ct);
                Assert.Equal(("completed", $$"""{"value":{{i + 10}}}"""), (job!.Status, job.Result!.Value.GetRawText()));
                Assert.Equal("completed", Assert.Single(job.Attempts).Outcome);
            }
        }
        finally
        {
            FaultInjectingHandler.LoseNextClaimAnswers(0);
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
