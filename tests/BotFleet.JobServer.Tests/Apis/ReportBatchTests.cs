using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class ReportBatchTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Batch_MixedItems_AnswersEachInInputOrder()
    {
        var op = TestJobs.NewOp("batch");
        var registration = TestJobs.Registration([op]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var ids = await server.Client.SubmitBatchAsync([.. Enumerable.Range(0, 3).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i)))], TestJobs.Token);
        Assert.Equal(3, (await server.Client.ClaimJobsAsync(bot, 3, op)).Count);
        var otherOp = TestJobs.NewOp("batch-other");
        var other = await server.Client.RegisterAsync(otherOp);
        var othersJob = await server.Client.SubmitOneAsync(otherOp);
        Assert.Single(await server.Client.ClaimJobsAsync(other, 1, otherOp));
        var unclaimed = await server.Client.SubmitOneAsync(op, maxAttempts: 1, priority: "low");
        var instance = registration.InstanceId;

        using var response = await server.Http.PostJsonAsync("v1/jobs/reports", $$$"""
            {"reports":[
              {"job_id":"{{{ids[0]}}}","action":"complete","instance_id":"{{{instance}}}","result":{"sum":1}},
              {"job_id":"{{{ids[1]}}}","action":"fail","instance_id":"{{{instance}}}","error":"boom","retry_after_ms":5000},
              {"job_id":"job_missing","action":"complete","instance_id":"{{{instance}}}"},
              {"job_id":"{{{unclaimed}}}","action":"complete","instance_id":"{{{instance}}}"},
              {"job_id":"{{{othersJob}}}","action":"complete","instance_id":"{{{instance}}}"},
              {"job_id":"{{{ids[2]}}}","action":"cancel","instance_id":"{{{instance}}}"},
              {"action":"fail","instance_id":"{{{instance}}}"},
              42,
              {"job_id":"{{{ids[0]}}}","action":"complete","instance_id":"{{{instance}}}","result":{"sum":1}}
            ]}
            """, bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonSerializer.Deserialize<ReportBatchResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!.Results;
        Assert.Equal(
            [
                (ids[0], "accepted"), (ids[1], "accepted"), ("job_missing", "not_found"), (unclaimed, "conflict"),
                (othersJob, "conflict"), (ids[2], "invalid"), (null, "invalid"), (null, "invalid"), (ids[0], "accepted"),
            ],
            results.Select(r => (r.JobId, r.Status)));
        Assert.Equal("action: Must be complete or fail.", results[5].Error);
        Assert.Equal("error: Is required.; job_id: Is required.", results[6].Error);
        Assert.Equal("Must be a JSON object, got a number.", results[7].Error);
        Assert.Equal(JobStatuses.Completed, (await server.Client.GetJobAsync(ids[0], TestJobs.Token))!.Status);
        Assert.Equal(JobStatuses.Pending, (await server.Client.GetJobAsync(ids[1], TestJobs.Token))!.Status);
        Assert.Equal(JobStatuses.Leased, (await server.Client.GetJobAsync(ids[2], TestJobs.Token))!.Status);
        Assert.Equal(JobStatuses.Leased, (await server.Client.GetJobAsync(othersJob, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task Client_ReportBatch_SendsCompleteAndFailAndReadsResults()
    {
        var op = TestJobs.NewOp("batch-client");
        var registration = TestJobs.Registration([op]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var ids = await server.Client.SubmitBatchAsync([new SubmitJobRequest(op, TestJobs.Payload(1)), new SubmitJobRequest(op, TestJobs.Payload(2))], TestJobs.Token);
        await server.Client.ClaimJobsAsync(bot, 2, op);

        var results = await server.Client.ReportBatchAsync(
            [
                ReportBatchItem.Complete(ids[0], new CompleteRequest(registration.InstanceId, JsonSerializer.SerializeToElement(new { sum = 3 }))),
                ReportBatchItem.Fail(ids[1], new FailRequest(registration.InstanceId, "nope", 0)),
            ],
            bot.Auth.AccessToken,
            TestJobs.Token);

        Assert.Equal([new ReportBatchItemResult(ids[0], "accepted"), new ReportBatchItemResult(ids[1], "accepted")], results);
        Assert.Equal("""{"sum":3}""", (await server.Client.GetJobAsync(ids[0], TestJobs.Token))!.Result!.Value.GetRawText());
        Assert.Equal("nope", (await server.Client.GetJobAsync(ids[1], TestJobs.Token))!.Error);
    }

    [Theory]
    [InlineData("""{}""", "reports")]
    [InlineData("""{"reports":[]}""", "reports")]
    [InlineData("""{"reports":{}}""", "reports")]
    [InlineData("""[{"job_id":"j"}]""", "body")]
    [InlineData("""{"reports":[""", "body")]
    public async Task Batch_MalformedEnvelope_Answers400(string body, string field)
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.PostJsonAsync("v1/jobs/reports", body, bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Batch_MoreThanThousandItems_Answers400()
    {
        var bot = await server.Client.RegisterAsync("sum");
        var items = string.Join(',', Enumerable.Repeat("""{"job_id":"j","action":"fail","instance_id":"i","error":"e"}""", 1_001));

        using var response = await server.Http.PostJsonAsync("v1/jobs/reports", $$"""{"reports":[{{items}}]}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["reports"], (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Batch_ThousandItems_AnswersThousandResults()
    {
        var bot = await server.Client.RegisterAsync("sum");
        var items = string.Join(',', Enumerable.Range(0, 1_000).Select(i => $$"""{"job_id":"job_none{{i}}","action":"fail","instance_id":"i","error":"e"}"""));

        using var response = await server.Http.PostJsonAsync("v1/jobs/reports", $$"""{"reports":[{{items}}]}""", bot.Auth.AccessToken);

        var results = JsonSerializer.Deserialize<ReportBatchResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!.Results;
        Assert.Equal(1_000, results.Count);
        Assert.All(results, r => Assert.Equal("not_found", r.Status));
        Assert.Equal("job_none999", results[999].JobId);
    }
}
