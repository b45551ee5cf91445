using System.Net;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class ClaimTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Claim_MixedPriorities_ReturnsHighThenNormalThenLowEachOldestFirst()
    {
        var op = TestJobs.NewOp("order");
        var low = await server.Client.SubmitOneAsync(op, 1, "low");
        var normal1 = await server.Client.SubmitOneAsync(op, 2);
        var high1 = await server.Client.SubmitOneAsync(op, 3, "high");
        var normal2 = await server.Client.SubmitOneAsync(op, 4, "normal");
        var high2 = await server.Client.SubmitOneAsync(op, 5, "high");
        var bot = await server.Client.RegisterAsync(op);

        var jobs = await server.Client.ClaimJobsAsync(bot, 10, op);

        Assert.Equal([high1, high2, normal1, normal2, low], jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_OtherOperationsQueued_ReturnsOnlyRequestedOperations()
    {
        var wanted = TestJobs.NewOp("wanted");
        var other = TestJobs.NewOp("other");
        var wantedId = await server.Client.SubmitOneAsync(wanted);
        var otherId = await server.Client.SubmitOneAsync(other);
        var bot = await server.Client.RegisterAsync(wanted, other);

        var jobs = await server.Client.ClaimJobsAsync(bot, 10, wanted);

        Assert.Equal([wantedId], jobs.Select(j => j.Id));
        Assert.Equal(JobStatuses.Pending, (await server.Client.GetJobAsync(otherId, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task Claim_MoreJobsThanLimit_ReturnsLimitOldestJobs()
    {
        var op = TestJobs.NewOp("limit");
        var ids = await server.Client.SubmitBatchAsync(
            Enumerable.Range(0, 5).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i))).ToList(), TestJobs.Token);
        var bot = await server.Client.RegisterAsync(op);

        var first = await server.Client.ClaimJobsAsync(bot, 3, op);
        var second = await server.Client.ClaimJobsAsync(bot, 3, op);

        Assert.Equal(ids.Take(3), first.Select(j => j.Id));
        Assert.Equal(ids.Skip(3), second.Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_ClaimedJob_CarriesPayloadLeaseAndMetadata()
    {
        var op = TestJobs.NewOp("shape");
        var jobId = await server.Client.SubmitOneAsync(op, 42, "high");
        var bot = await server.Client.RegisterAsync(op);

        var response = await server.Client.ClaimAsync(new ClaimRequest(bot.BotId, [op], 1), bot.Auth.AccessToken, TestJobs.Token);

        var job = response.Jobs.Single();
        Assert.Equal(jobId, job.GetProperty("id").GetString());
        Assert.Equal(42, job.GetProperty("payload").GetProperty("n").GetInt32());
        Assert.Equal(1, job.GetProperty("attempt").GetInt32());
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(300), job.GetProperty("lease_until").GetDateTimeOffset());
        var metadata = job.GetProperty("metadata");
        Assert.Equal("high", metadata.GetProperty("priority").GetString());
        Assert.Equal("api", metadata.GetProperty("source").GetString());
        Assert.Equal(server.Time.GetUtcNow(), metadata.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(0, metadata.GetProperty("previous_attempts").GetArrayLength());
        // Submitted outside any trace to a server that does not trace: no trace context to hand on.
        Assert.False(job.TryGetProperty("trace_parent", out _));
    }

    [Fact]
    public async Task Claim_LiveLease_IsNeverClaimedAgain()
    {
        var op = TestJobs.NewOp("live");
        var jobId = await server.Client.SubmitOneAsync(op);
        var first = await server.Client.RegisterAsync(op);
        var second = await server.Client.RegisterAsync(op);

        var claimedByFirst = await server.Client.ClaimJobsAsync(first, 10, op);
        server.Time.Advance(TimeSpan.FromSeconds(299));
        var claimedBySecond = await server.Client.ClaimJobsAsync(second, 10, op);
        var claimedByFirstAgain = await server.Client.ClaimJobsAsync(first, 10, op);

        Assert.Equal([jobId], claimedByFirst.Select(j => j.Id));
        Assert.Empty(claimedBySecond);
        Assert.Empty(claimedByFirstAgain);
    }

    [Fact]
    public async Task Claim_ExpiredLease_GoesBackToPendingAndIsReclaimed()
    {
        var op = TestJobs.NewOp("expired");
        var jobId = await server.Client.SubmitOneAsync(op);
        var first = await server.Client.RegisterAsync(op);
        var second = await server.Client.RegisterAsync(op);
        await server.Client.ClaimJobsAsync(first, 1, op);
        var claimedAt = server.Time.GetUtcNow();

        server.Time.Advance(TimeSpan.FromSeconds(301));
        await server.Store.SweepExpiredLeasesAsync(TestJobs.Token);
        var afterSweep = await server.Client.GetJobAsync(jobId, TestJobs.Token);
        var reclaimed = await server.Client.ClaimAsync(new ClaimRequest(second.BotId, [op], 1), second.Auth.AccessToken, TestJobs.Token);

        Assert.Equal(JobStatuses.Pending, afterSweep!.Status);
        Assert.Null(afterSweep.LeaseUntil);
        var lost = Assert.Single(afterSweep.Attempts);
        Assert.Equal(new JobAttemptView(1, first.BotId, lost.InstanceId, claimedAt, server.Time.GetUtcNow(), "lost", "lease expired"), lost);
        var job = Assert.Single(reclaimed.Jobs);
        Assert.Equal(jobId, job.GetProperty("id").GetString());
        Assert.Equal(2, job.GetProperty("attempt").GetInt32());
        var previous = Assert.Single(job.GetProperty("metadata").GetProperty("previous_attempts").EnumerateArray().ToList());
        Assert.Equal(first.BotId, previous.GetProperty("bot_id").GetString());
        Assert.Equal("lease expired", previous.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Claim_ExpiredLeaseNotYetSwept_IsReclaimedDirectly()
    {
        var op = TestJobs.NewOp("unswept");
        var jobId = await server.Client.SubmitOneAsync(op);
        var first = await server.Client.RegisterAsync(op);
        var second = await server.Client.RegisterAsync(op);
        await server.Client.ClaimJobsAsync(first, 1, op);

        server.Time.Advance(TimeSpan.FromSeconds(301));
        var reclaimed = await server.Client.ClaimJobsAsync(second, 1, op);

        Assert.Equal([(jobId, 2)], reclaimed.Select(j => (j.Id, j.Attempt)));
    }

    [Fact]
    public async Task Claim_RunAfterInFuture_WaitsUntilDue()
    {
        var op = TestJobs.NewOp("later");
        var runAfter = server.Time.GetUtcNow().AddMinutes(10);
        var jobId = (await server.Client.SubmitAsync(new SubmitJobRequest(op, TestJobs.Payload(1), RunAfter: runAfter), TestJobs.Token)).Single();
        var bot = await server.Client.RegisterAsync(op);

        var early = await server.Client.ClaimJobsAsync(bot, 1, op);
        server.Time.Advance(TimeSpan.FromMinutes(10));
        var due = await server.Client.ClaimJobsAsync(bot, 1, op);

        Assert.Empty(early);
        Assert.Equal([jobId], due.Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_EmptyQueue_Answers200WithNoJobs()
    {
        var op = TestJobs.NewOp("empty");
        var bot = await server.Client.RegisterAsync(op);

        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["{{op}}"],"limit":5}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"jobs":[]}""", await response.Content.ReadAsStringAsync(TestJobs.Token));
    }

    [Fact]
    public async Task Claim_ForAnotherBotId_Answers403Problem()
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", """{"bot_id":"bot_nobody","operations":["sum"],"limit":5}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
