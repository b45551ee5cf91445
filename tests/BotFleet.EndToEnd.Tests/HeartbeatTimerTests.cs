using System.Diagnostics;
using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// A job that outlives its lease many times over keeps it through the heartbeats the bot's grain sends when the silo's
/// heartbeat clock beats it (no test code calls the bot): the real server, a 5 s lease swept every second, a 1 s
/// heartbeat interval, a 12 s job.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class HeartbeatTimerTests
{
    [Fact]
    public async Task JobLongerThanItsLease_KeepsItThroughTheGrainsOwnHeartbeats_AndCompletesInOneAttempt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        await using var server = await LoopbackJobServer.StartAsync(
            temp.File("jobs.db"),
            settings: new Dictionary<string, string?>
            {
                ["JobServer:JobLeaseTtl"] = "00:00:05",
                ["JobServer:HeartbeatInterval"] = "00:00:01",
                ["JobServer:LeaseSweepInterval"] = "00:00:01",
            });
        var id = (await server.Producer.SubmitAsync(new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 12_000 })), ct)).Single();
        await using var cluster = BotFleetTestSilo.Build(server.Address, temp.File("orleans.db"));
        await cluster.DeployAsync(ct);
        try
        {
            var fleet = cluster.Client.GetGrain<IFleetGrain>(IFleetGrain.RosterKey);
            await fleet.StartBotAsync("long-job", new BotDefinition { Operations = ["sleep"], MaxConcurrency = 1 });
            var leased = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Leased, "the job leased", TimeSpan.FromSeconds(20));
            var clock = Stopwatch.StartNew();

            // Well past the 5 s lease (and its sweeps), the job is still the first attempt's, its lease pushed ahead.
            await Task.Delay(TimeSpan.FromSeconds(8), ct);
            var midway = await server.Producer.GetJobAsync(id, ct);
            var done = await Eventually.ValueAsync(() => server.Producer.GetJobAsync(id, ct), j => j!.Status == JobStatuses.Completed, "the job completed", TimeSpan.FromSeconds(30));

            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(8));
            Assert.Equal((JobStatuses.Leased, 1), (midway!.Status, midway.Attempt));
            Assert.True(midway.LeaseUntil > leased!.LeaseUntil, $"lease {leased.LeaseUntil:O} was not extended (still {midway.LeaseUntil:O})");
            Assert.Equal("completed", Assert.Single(done!.Attempts).Outcome);
            Assert.Equal("""{"slept_ms":12000}""", done.Result!.Value.GetRawText());
        }
        finally
        {
            await cluster.StopAllSilosAsync(ct);
        }
    }
}
