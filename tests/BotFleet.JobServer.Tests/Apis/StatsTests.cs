using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

/// <summary>Owns its server: stats count everything in the database, so no other test may add to it.</summary>
public sealed class StatsTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Stats_AfterMixedOutcomes_CountsExactlyPerStatusAndOp()
    {
        var registration = TestJobs.Registration(["sum", "subtract"]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        await server.Client.SubmitBatchAsync(
        [
            new SubmitJobRequest("sum", TestJobs.Payload(1), MaxAttempts: 1),
            new SubmitJobRequest("sum", TestJobs.Payload(2)),
            new SubmitJobRequest("sum", TestJobs.Payload(3)),
            new SubmitJobRequest("sum", TestJobs.Payload(4)),
            new SubmitJobRequest("subtract", TestJobs.Payload(5)),
            new SubmitJobRequest("subtract", TestJobs.Payload(6)),
        ], TestJobs.Token);
        var claimed = await server.Client.ClaimJobsAsync(bot, 3, "sum");
        await server.Client.FailAsync(bot, claimed[0].Id, registration.InstanceId);
        await server.Client.CompleteAsync(bot, claimed[1].Id, registration.InstanceId);
        await server.Client.ClaimJobsAsync(bot, 1, "subtract");
        await server.Client.RegisterAsync("sum");
        server.Time.Advance(TimeSpan.FromSeconds(60));
        await server.Client.HeartbeatAsync(bot.BotId, new HeartbeatRequest(registration.InstanceId, []), bot.Auth.AccessToken, TestJobs.Token);
        server.Time.Advance(TimeSpan.FromSeconds(40));

        var stats = await server.Client.GetStatsAsync(TestJobs.Token);

        Assert.Equal(new JobStatusCounts(Pending: 2, Leased: 2, Completed: 1, Dead: 1), stats.Jobs);
        Assert.Equal(new JobStatusCounts(Pending: 1, Leased: 1, Completed: 1, Dead: 1), stats.ByOp["sum"]);
        Assert.Equal(new JobStatusCounts(Pending: 1, Leased: 1, Completed: 0, Dead: 0), stats.ByOp["subtract"]);
        Assert.Equal(2, stats.ByOp.Count);
        // Active means seen within 3 heartbeat intervals (90 s): the second bot was last seen 100 s ago.
        Assert.Equal(new BotCounts(Registered: 2, Active: 1), stats.Bots);
    }
}
