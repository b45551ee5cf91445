using BotFleet.Contracts.Bots;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;
using System.Text.Json;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// A bot whose reports could not be delivered keeps them in durable grain state (SQLite);
/// after its silo restarts the bot comes back by its reminder alone and delivers every one.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class OutboxRestartTests
{
    [Fact]
    public async Task ReportsInTheOutbox_AreAllDeliveredAfterTheSiloRestarts_WithoutAnyClientCall()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 20).Select(i => new SubmitJobRequest("echo", JsonSerializer.SerializeToElement(new { i })))], ct);
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        FaultInjectingHandler.ReportsDown = true;
        try
        {
            var bot = cluster.Client.GetGrain<ISchedulerGrain>("restart-bot");
            await bot.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 5, ClaimBatchSize = 5 });
            // Every job runs; no report can be delivered, so all twenty wait in the outbox (below its high-water mark).
            var before = await Eventually.ValueAsync(bot.GetStatusAsync, s => s.OutboxSize == 20 && s.InFlight == 0, "20 reports in the outbox", TimeSpan.FromSeconds(60));
            var leased = await server.Producer.GetStatsAsync(ct);

            await cluster.RestartSiloAsync(cluster.Primary!);
            FaultInjectingHandler.ReportsDown = false;

            // No grain call here: the keep-alive reminder re-activates the bot, which flushes its outbox.
            var after = await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 20, "all 20 jobs completed on the server", TimeSpan.FromSeconds(90));

            Assert.Equal(BotState.Degraded, before.State);
            Assert.Equal(new JobStatusCounts(0, 20, 0, 0), leased.Jobs);
            Assert.Equal(new JobStatusCounts(0, 0, 20, 0), after.Jobs);
            // The server commits a report before the bot hears its answer and empties its outbox: wait for the bot too.
            var restarted = cluster.Client.GetGrain<ISchedulerGrain>("restart-bot");
            var status = await Eventually.ValueAsync(restarted.GetStatusAsync, s => s.OutboxSize == 0, "the bot's outbox emptied", TimeSpan.FromSeconds(10));
            Assert.NotEqual(before.InstanceId, status.InstanceId);
            var byInstance = new Dictionary<string, int>();
            foreach (var id in ids)
            {
                var job = await server.Producer.GetJobAsync(id, ct);
                Assert.NotNull(job);
                Assert.Equal(JobStatuses.Completed, job.Status);
                var attempt = Assert.Single(job.Attempts);
                byInstance[attempt.InstanceId] = byInstance.GetValueOrDefault(attempt.InstanceId) + 1;
                Assert.Equal(job.Payload.GetRawText(), job.Result!.Value.GetRawText());
            }

            // Every result ran before the restart and was delivered from the outbox under the old instance id.
            Assert.Equal(new Dictionary<string, int> { [before.InstanceId!] = 20 }, byInstance);
        }
        finally
        {
            FaultInjectingHandler.ReportsDown = false;
            await cluster.StopAllSilosAsync(ct);
        }
    }
}

/// <summary>A silo that stops gracefully lets its bots' running jobs finish and report before it goes.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class GracefulDrainTests
{
    [Fact]
    public async Task SiloStoppingGracefully_RunningJobsFinishAndReportWithinTheDrainTimeout_NoneIsLost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"));
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 4).Select(_ => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 1_500 })))], ct);
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var bot = cluster.Client.GetGrain<ISchedulerGrain>("drain-bot");
            await bot.StartAsync(new BotDefinition { Operations = ["sleep"], MaxConcurrency = 4 });
            await Eventually.ValueAsync(bot.GetStatusAsync, s => s.InFlight == 4, "4 jobs running", TimeSpan.FromSeconds(30));

            // Stop, not kill: the bot deactivates, claims nothing more, and waits for its jobs.
            await cluster.StopSiloAsync(cluster.Primary!, ct);
            var stats = await server.Producer.GetStatsAsync(ct);

            Assert.Equal(new JobStatusCounts(0, 0, 4, 0), stats.Jobs);
            foreach (var id in ids)
            {
                var job = await server.Producer.GetJobAsync(id, ct);
                Assert.Equal("completed", Assert.Single(job!.Attempts).Outcome);
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionCollection
{
    public const string Name = "fault injection";
}
