using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Apis;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

/// <summary>Requeue and discard of dead jobs over HTTP. Each test uses operations of its own; "all" is filtered by them.</summary>
public sealed class JobControlTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Requeue_DeadJobWithoutABody_AnswersItPendingWithTheDefaultAttemptsAndABotCompletesIt()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("requeue");
        var id = await server.Client.DeadJobAsync(op, bot, instance);

        using var response = await server.Http.PostAsync($"v1/jobs/{id}/requeue", content: null, TestJobs.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await ReadAsync<JobView>(response);
        Assert.Equal(
            (id, JobStatuses.Pending, 1, 1 + server.Options.DefaultMaxAttempts, "boom", (DateTimeOffset?)server.Time.GetUtcNow()),
            (view.Id, view.Status, view.Attempt, view.MaxAttempts, view.Error, view.NextAttemptAt));
        var claimed = Assert.Single(await server.Client.ClaimJobsAsync(bot, 10, op));
        Assert.Equal((id, 2), (claimed.Id, claimed.Attempt));
        Assert.Equal(ReportDelivery.Accepted, await server.Client.CompleteAsync(bot, id, instance, sum: 7));
        var done = (await server.Client.GetJobAsync(id, TestJobs.Token))!;
        Assert.Equal((JobStatuses.Completed, null), (done.Status, done.NextAttemptAt));
        Assert.Equal([AttemptOutcomes.Failed, AttemptOutcomes.Completed], done.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Requeue_WithAttempts_GivesExactlyThatMany()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("requeue-n");
        var id = await server.Client.DeadJobAsync(op, bot, instance);

        using var response = await server.Http.PostJsonAsync($"v1/jobs/{id}/requeue", """{"attempts": 2}""");

        Assert.Equal(3, (await ReadAsync<JobView>(response)).MaxAttempts);
    }

    [Fact]
    public async Task Requeue_RefusesAJobThatIsNotDeadAnUnknownOneAndBadAttempts()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("requeue-refused");
        var dead = await server.Client.DeadJobAsync(op, bot, instance);
        var pending = await server.Client.SubmitOneAsync(op);

        using var notDead = await server.Http.PostAsync($"v1/jobs/{pending}/requeue", content: null, TestJobs.Token);
        using var unknown = await server.Http.PostAsync("v1/jobs/job_none/requeue", content: null, TestJobs.Token);
        using var badAttempts = await server.Http.PostJsonAsync($"v1/jobs/{dead}/requeue", """{"attempts": 0}""");

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.BadRequest), (notDead.StatusCode, unknown.StatusCode, badAttempts.StatusCode));
        Assert.Contains($"Job '{pending}' is pending; only dead jobs can be requeued or discarded.", await notDead.Content.ReadAsStringAsync(TestJobs.Token), StringComparison.Ordinal);
        Assert.Equal(["attempts"], (await badAttempts.ReadErrorsAsync()).Keys);
        Assert.Equal(JobStatuses.Dead, (await server.Client.GetJobAsync(dead, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task Discard_DeadJob_Answers204AndTheJobIsGone_ButAPendingJobStays()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("discard");
        var dead = await server.Client.DeadJobAsync(op, bot, instance);
        var pending = await server.Client.SubmitOneAsync(op);

        using var discarded = await server.Http.PostAsync($"v1/jobs/{dead}/discard", content: null, TestJobs.Token);
        using var refused = await server.Http.PostAsync($"v1/jobs/{pending}/discard", content: null, TestJobs.Token);
        using var again = await server.Http.PostAsync($"v1/jobs/{dead}/discard", content: null, TestJobs.Token);

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.Conflict, HttpStatusCode.NotFound), (discarded.StatusCode, refused.StatusCode, again.StatusCode));
        Assert.Null(await server.Client.GetJobAsync(dead, TestJobs.Token));
        Assert.Equal(JobStatuses.Pending, (await server.Client.GetJobAsync(pending, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task RequeueMany_NamedIds_AnswersEachInInputOrder()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("requeue-ids");
        var dead = await server.Client.DeadJobAsync(op, bot, instance);
        var pending = await server.Client.SubmitOneAsync(op);

        using var response = await server.Http.PostJsonAsync("v1/jobs/requeue", $$"""{"job_ids": ["{{dead}}", "job_none", "{{pending}}"], "attempts": 4}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $$"""{"count":1,"results":[{"job_id":"{{dead}}","status":"requeued"},{"job_id":"job_none","status":"not_found"},{"job_id":"{{pending}}","status":"conflict","current_status":"pending"}]}""",
            await response.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal(5, (await server.Client.GetJobAsync(dead, TestJobs.Token))!.MaxAttempts);
    }

    [Fact]
    public async Task RequeueMany_AllOfAnOperation_TakesEveryDeadJobOfItAcrossChunks()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("requeue-all");
        var (other, otherBot, otherInstance) = await server.Client.BotOfOwnOpAsync("requeue-all-other");
        var count = JobControlApi.Chunk * 2 + 7;
        await DeadJobsAsync(op, bot, instance, count);
        var untouched = await server.Client.DeadJobAsync(other, otherBot, otherInstance);

        var answer = await server.Client.RequeueJobsAsync(new JobSelectionRequest(All: true, Op: op, Attempts: 1), TestJobs.Token);

        Assert.Equal(new JobControlResponse(count), answer);
        var stats = await server.Client.GetStatsAsync(TestJobs.Token);
        Assert.Equal(new JobStatusCounts(count, 0, 0, 0), stats.ByOp[op]);
        Assert.Equal(JobStatuses.Dead, (await server.Client.GetJobAsync(untouched, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task DiscardMany_AllOfAnOperation_DeletesItsDeadJobsOnly()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("discard-all");
        await DeadJobsAsync(op, bot, instance, 3);
        var pending = await server.Client.SubmitOneAsync(op);

        var answer = await server.Client.DiscardJobsAsync(new JobSelectionRequest(All: true, Op: op), TestJobs.Token);

        Assert.Equal(new JobControlResponse(3), answer);
        Assert.Equal(new JobStatusCounts(1, 0, 0, 0), (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op]);
        Assert.Equal(JobStatuses.Pending, (await server.Client.GetJobAsync(pending, TestJobs.Token))!.Status);
    }

    [Theory]
    [InlineData("requeue", """{}""", "job_ids")]
    [InlineData("requeue", """{"all": false}""", "job_ids")]
    [InlineData("requeue", """{"all": true, "job_ids": ["job_a"]}""", "all")]
    [InlineData("requeue", """{"job_ids": ["job_a"], "op": "sum"}""", "op")]
    [InlineData("requeue", """{"job_ids": []}""", "job_ids")]
    [InlineData("requeue", """{"all": true, "attempts": 101}""", "attempts")]
    [InlineData("discard", """{"all": true, "attempts": 2}""", "attempts")]
    public async Task Many_BadSelection_Answers400NamingTheField(string action, string body, string field)
    {
        var before = await server.Http.StatsJsonAsync();

        using var response = await server.Http.PostJsonAsync($"v1/jobs/{action}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.ReadErrorsAsync()).Keys);
        Assert.Equal(before, await server.Http.StatsJsonAsync());
    }


    /// <summary><paramref name="count"/> dead jobs of <paramref name="op"/>, claimed 100 and failed 1,000 at a time.</summary>
    private async Task DeadJobsAsync(string op, RegisterBotResponse bot, string instanceId, int count)
    {
        for (var submitted = 0; submitted < count; submitted += 1_000)
        {
            var batch = Enumerable.Range(0, Math.Min(1_000, count - submitted)).Select(n => new SubmitJobRequest(op, TestJobs.Payload(n), MaxAttempts: 1)).ToList();
            await server.Client.SubmitBatchAsync(batch, TestJobs.Token);
        }

        var failed = 0;
        while (failed < count)
        {
            var reports = new List<ReportBatchItem>();
            for (var i = 0; i < 10 && failed + reports.Count < count; i++)
            {
                reports.AddRange((await server.Client.ClaimJobsAsync(bot, 100, op)).Select(j => ReportBatchItem.Fail(j.Id, new FailRequest(instanceId, "boom"))));
            }

            var results = await server.Client.ReportBatchAsync(reports, bot.Auth.AccessToken, TestJobs.Token);
            Assert.All(results, r => Assert.Equal(ReportItemStatuses.Accepted, r.Status));
            failed += results.Count;
        }

        Assert.Equal(count, (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op].Dead);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!;
    }
}
