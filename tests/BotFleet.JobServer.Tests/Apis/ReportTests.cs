using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class ReportTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Complete_HeldJob_IsAcceptedAndJobCompleted()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("complete");

        var delivery = await server.Client.CompleteAsync(bot, jobId, instanceId, sum: 100);

        var job = await server.Client.GetJobAsync(jobId, TestJobs.Token);
        Assert.Equal(ReportDelivery.Accepted, delivery);
        Assert.Equal(JobStatuses.Completed, job!.Status);
        Assert.Equal("""{"sum":100}""", job.Result!.Value.GetRawText());
        Assert.Equal("completed", Assert.Single(job.Attempts).Outcome);
    }

    [Fact]
    public async Task Complete_SameReportRepeated_IsAcceptedWithoutChange()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("repeat");
        await server.Client.CompleteAsync(bot, jobId, instanceId);
        var before = await server.Http.GetStringAsync($"v1/jobs/{jobId}", TestJobs.Token);
        server.Time.Advance(TimeSpan.FromSeconds(5));

        var delivery = await server.Client.CompleteAsync(bot, jobId, instanceId);

        Assert.Equal(ReportDelivery.Accepted, delivery);
        Assert.Equal(before, await server.Http.GetStringAsync($"v1/jobs/{jobId}", TestJobs.Token));
    }

    [Fact]
    public async Task Complete_DifferentResultAfterCompletion_Answers409()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("different");
        await server.Client.CompleteAsync(bot, jobId, instanceId, sum: 1);

        var delivery = await server.Client.CompleteAsync(bot, jobId, instanceId, sum: 2);

        Assert.Equal(ReportDelivery.Conflict, delivery);
    }

    [Fact]
    public async Task Complete_FromAnotherInstance_Answers409AndChangesNothing()
    {
        var (bot, _, jobId) = await server.Client.ClaimOneAsync("other-instance");

        var delivery = await server.Client.CompleteAsync(bot, jobId, Guid.NewGuid().ToString());

        var job = await server.Client.GetJobAsync(jobId, TestJobs.Token);
        Assert.Equal(ReportDelivery.Conflict, delivery);
        Assert.Equal(JobStatuses.Leased, job!.Status);
        Assert.Null(Assert.Single(job.Attempts).Outcome);
    }

    [Fact]
    public async Task Complete_AfterLeaseReclaimedByLaterAttempt_Answers409()
    {
        var op = TestJobs.NewOp("stale");
        var firstRegistration = TestJobs.Registration([op]);
        var first = await server.Client.RegisterAsync(firstRegistration, TestJobs.Token);
        var second = await server.Client.RegisterAsync(op);
        var jobId = await server.Client.SubmitOneAsync(op);
        await server.Client.ClaimJobsAsync(first, 1, op);
        server.Time.Advance(TimeSpan.FromSeconds(301));
        await server.Client.ClaimJobsAsync(second, 1, op);

        var delivery = await server.Client.CompleteAsync(first, jobId, firstRegistration.InstanceId);

        Assert.Equal(ReportDelivery.Conflict, delivery);
    }

    [Fact]
    public async Task Complete_AfterLeaseLostButNotReclaimed_IsAccepted()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("late");
        server.Time.Advance(TimeSpan.FromSeconds(301));
        await server.Store.SweepExpiredLeasesAsync(TestJobs.Token);

        var delivery = await server.Client.CompleteAsync(bot, jobId, instanceId);

        Assert.Equal(ReportDelivery.Accepted, delivery);
        Assert.Equal(JobStatuses.Completed, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task Report_UnknownJob_IsNotFound()
    {
        var bot = await server.Client.RegisterAsync("sum");

        var complete = await server.Client.CompleteAsync(bot, "job_00000000000000000000000000000000", Guid.NewGuid().ToString());
        var fail = await server.Client.FailAsync(bot, "job_00000000000000000000000000000000", Guid.NewGuid().ToString());

        Assert.Equal(ReportDelivery.NotFound, complete);
        Assert.Equal(ReportDelivery.NotFound, fail);
    }

    [Fact]
    public async Task Report_NeverClaimedJob_Answers409()
    {
        var op = TestJobs.NewOp("unclaimed");
        var bot = await server.Client.RegisterAsync(op);
        var jobId = await server.Client.SubmitOneAsync(op);

        var delivery = await server.Client.CompleteAsync(bot, jobId, Guid.NewGuid().ToString());

        Assert.Equal(ReportDelivery.Conflict, delivery);
    }

    [Fact]
    public async Task Fail_WithAttemptsLeft_ReturnsJobToPendingUntilMaxAttemptsThenDead()
    {
        var op = TestJobs.NewOp("retry");
        var registration = TestJobs.Registration([op]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var jobId = await server.Client.SubmitOneAsync(op, maxAttempts: 3);
        var statuses = new List<string>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claimed = Assert.Single(await server.Client.ClaimJobsAsync(bot, 1, op));
            Assert.Equal(attempt, claimed.Attempt);
            Assert.Equal(ReportDelivery.Accepted, await server.Client.FailAsync(bot, jobId, registration.InstanceId, $"error {attempt}"));
            statuses.Add((await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Status);
            // The backoff after failure n is base * 2^(n-1): 1 s, 2 s.
            server.Time.Advance(TimeSpan.FromSeconds(4));
        }

        var job = await server.Client.GetJobAsync(jobId, TestJobs.Token);
        Assert.Equal([JobStatuses.Pending, JobStatuses.Pending, JobStatuses.Dead], statuses);
        Assert.Equal("error 3", job!.Error);
        Assert.Equal(["error 1", "error 2", "error 3"], job.Attempts.Select(a => a.Error));
        Assert.All(job.Attempts, a => Assert.Equal("failed", a.Outcome));
        Assert.Empty(await server.Client.ClaimJobsAsync(bot, 1, op));
    }

    [Fact]
    public async Task Fail_BackoffNotElapsed_JobIsNotClaimable()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("backoff");
        var op = (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Op;
        await server.Client.FailAsync(jobId, new FailRequest(instanceId, "busy", RetryAfterMs: 10_000), bot.Auth.AccessToken, TestJobs.Token);

        server.Time.Advance(TimeSpan.FromSeconds(9));
        var early = await server.Client.ClaimJobsAsync(bot, 1, op);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        var due = await server.Client.ClaimJobsAsync(bot, 1, op);

        Assert.Empty(early);
        Assert.Equal([jobId], due.Select(j => j.Id));
    }

    [Fact]
    public async Task Fail_SameReportRepeated_IsAcceptedWithoutChange()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("fail-repeat");
        await server.Client.FailAsync(bot, jobId, instanceId, "timeout");
        var before = await server.Http.GetStringAsync($"v1/jobs/{jobId}", TestJobs.Token);

        var delivery = await server.Client.FailAsync(bot, jobId, instanceId, "timeout");

        Assert.Equal(ReportDelivery.Accepted, delivery);
        Assert.Equal(before, await server.Http.GetStringAsync($"v1/jobs/{jobId}", TestJobs.Token));
    }

    [Fact]
    public async Task Fail_AfterCompletion_Answers409()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("fail-after-complete");
        await server.Client.CompleteAsync(bot, jobId, instanceId);

        var delivery = await server.Client.FailAsync(bot, jobId, instanceId);

        Assert.Equal(ReportDelivery.Conflict, delivery);
        Assert.Equal(JobStatuses.Completed, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task Complete_ResultLargerThanLimit_Answers413AndChangesNothing()
    {
        var (bot, instanceId, jobId) = await server.Client.ClaimOneAsync("big-result");
        var result = JsonSerializer.Serialize(new string('x', server.Options.MaxPayloadBytes));

        using var response = await server.Http.PostJsonAsync($"v1/jobs/{jobId}/complete", $$"""{"instance_id":"{{instanceId}}","result":{{result}}}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JobStatuses.Leased, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Status);
    }
}
