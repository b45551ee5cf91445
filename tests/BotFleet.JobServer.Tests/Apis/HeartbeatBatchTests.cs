using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class HeartbeatBatchTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Batch_MixedItems_AnswersEachInInputOrder()
    {
        var op = TestJobs.NewOp("beats");
        var registration = TestJobs.Registration([op, "sum"]);
        var alice = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var bob = await server.Client.RegisterAsync(op);
        var job = await server.Client.SubmitOneAsync(op);
        Assert.Single(await server.Client.ClaimJobsAsync(alice, 1, op));
        await server.Client.UpdateAssignmentAsync(alice.BotId, new UpdateAssignmentRequest(Paused: true), TestJobs.Token);
        server.Time.Advance(TimeSpan.FromSeconds(100));
        var instance = registration.InstanceId;

        using var response = await server.Http.PostJsonAsync("v1/bots/heartbeats", $$$"""
            {"heartbeats":[
              {"bot_id":"{{{alice.BotId}}}","access_token":"{{{alice.Auth.AccessToken}}}","instance_id":"{{{instance}}}","running":[{"job_id":"{{{job}}}","op":"{{{op}}}","elapsed_ms":100000}]},
              {"bot_id":"{{{bob.BotId}}}","access_token":"{{{bob.Auth.AccessToken}}}","instance_id":"x","running":[]},
              {"bot_id":"{{{bob.BotId}}}","access_token":"{{{alice.Auth.AccessToken}}}","instance_id":"x"},
              {"bot_id":"{{{bob.BotId}}}","access_token":"{{{bob.BotId}}}.not-the-secret","instance_id":"x"},
              {"bot_id":"{{{alice.BotId}}}","access_token":"{{{alice.Auth.AccessToken}}}"},
              42,
              {"bot_id":"{{{alice.BotId}}}","access_token":"{{{alice.Auth.AccessToken}}}","instance_id":"{{{instance}}}","running":[]}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonSerializer.Deserialize<HeartbeatBatchResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!.Results;
        Assert.Equal(
            [
                (alice.BotId, "ok"), (bob.BotId, "ok"), (bob.BotId, "forbidden"), (bob.BotId, "unauthorized"),
                (alice.BotId, "invalid"), (null, "invalid"), (alice.BotId, "ok"),
            ],
            results.Select(r => (r.BotId, r.Status)));
        var leaseEnd = server.Time.GetUtcNow().AddSeconds(300);
        Assert.Equal((leaseEnd, null), (results[0].LeaseExtendedTo, results[0].Error));
        Assert.Equal([new JobLease(job, leaseEnd)], results[0].Leases!);
        var assignment = Assert.IsType<BotAssignment>(results[0].Assignment);
        Assert.Equal([op, "sum"], assignment.Operations);
        Assert.Equal((5, true), (assignment.MaxConcurrency, assignment.Paused));
        Assert.Equal((leaseEnd, null, null), (results[1].LeaseExtendedTo, results[1].Error, results[1].Assignment));
        Assert.Empty(results[1].Leases!);
        Assert.Equal($"The access token is not for bot '{bob.BotId}'.", results[2].Error);
        Assert.Equal("The access token is not valid; register again.", results[3].Error);
        Assert.Equal("instance_id: Is required.", results[4].Error);
        Assert.Equal("Must be a JSON object, got a number.", results[5].Error);
        // The assignment went out once, with the bot's first heartbeat.
        Assert.Null(results[6].Assignment);
        Assert.Equal(leaseEnd, (await server.Client.GetJobAsync(job, TestJobs.Token))!.LeaseUntil);
    }

    [Fact]
    public async Task Client_HeartbeatBatch_ReadsEveryResult()
    {
        var registration = TestJobs.Registration(["sum"]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);

        var results = await server.Client.HeartbeatBatchAsync(
            [
                new HeartbeatBatchItem(bot.BotId, bot.Auth.AccessToken, registration.InstanceId, []),
                new HeartbeatBatchItem("bot_unknown", bot.Auth.AccessToken, registration.InstanceId, []),
            ],
            TestJobs.Token);

        Assert.Equal(["ok", "forbidden"], results.Select(r => r.Status));
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(300), results[0].LeaseExtendedTo);
    }

    [Fact]
    public async Task Batch_TokensNoLongerCached_ReadsEachBotsCurrentToken_TheExpiredAndTheReplacedOnesAreRefused()
    {
        var expiring = await server.Client.RegisterAsync("sum");
        server.Time.Advance(TimeSpan.FromSeconds(3_600 - 60));
        var registration = TestJobs.Registration(["sum"]);
        var replaced = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var current = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var fresh = await server.Client.RegisterAsync("sum");
        // Past the first token's lifetime and every cache entry's, so each token is checked against the store again.
        server.Time.Advance(TimeSpan.FromSeconds(120));

        var results = await server.Client.HeartbeatBatchAsync(
            [
                new HeartbeatBatchItem(expiring.BotId, expiring.Auth.AccessToken, "i", []),
                new HeartbeatBatchItem(replaced.BotId, replaced.Auth.AccessToken, registration.InstanceId, []),
                new HeartbeatBatchItem(current.BotId, current.Auth.AccessToken, registration.InstanceId, []),
                new HeartbeatBatchItem(fresh.BotId, fresh.Auth.AccessToken, "i", []),
            ],
            TestJobs.Token);

        Assert.Equal(replaced.BotId, current.BotId);
        Assert.Equal(
            [
                (expiring.BotId, "unauthorized", "The access token has expired; register again."),
                (current.BotId, "unauthorized", "The access token is not valid; register again."),
                (current.BotId, "ok", null),
                (fresh.BotId, "ok", null),
            ],
            results.Select(r => (r.BotId, r.Status, r.Error)));
    }

    [Fact]
    public async Task Batch_UnknownBotsToken_AnswersUnauthorized()
    {
        var results = await server.Client.HeartbeatBatchAsync(
            [new HeartbeatBatchItem("bot_nobody", "bot_nobody.secret", "i", [])],
            TestJobs.Token);

        Assert.Equal(new HeartbeatBatchItemResult("bot_nobody", "unauthorized", "The access token is not valid; register again."), Assert.Single(results));
    }

    [Theory]
    [InlineData("""{}""", "heartbeats")]
    [InlineData("""{"heartbeats":[]}""", "heartbeats")]
    [InlineData("""{"heartbeats":{}}""", "heartbeats")]
    [InlineData("""[{"bot_id":"b"}]""", "body")]
    [InlineData("""{"heartbeats":[""", "body")]
    public async Task Batch_MalformedEnvelope_Answers400(string body, string field)
    {
        using var response = await server.Http.PostJsonAsync("v1/bots/heartbeats", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Batch_MoreThanThousandItems_Answers400()
    {
        var items = string.Join(',', Enumerable.Repeat("""{"bot_id":"b","access_token":"b.s","instance_id":"i"}""", 1_001));

        using var response = await server.Http.PostJsonAsync("v1/bots/heartbeats", $$"""{"heartbeats":[{{items}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["heartbeats"], (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Batch_MoreThanTenThousandRunningJobsInAll_Answers400()
    {
        var running = string.Join(',', Enumerable.Range(0, 1_000).Select(i => $$"""{"job_id":"job_{{i}}"}"""));
        var items = string.Join(',', Enumerable.Repeat($$"""{"bot_id":"b","access_token":"b.s","instance_id":"i","running":[{{running}}]}""", 11));

        using var response = await server.Http.PostJsonAsync("v1/bots/heartbeats", $$"""{"heartbeats":[{{items}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["May list at most 10000 running jobs in all, got 11000; send fewer heartbeats per batch."],
            (await response.ReadErrorsAsync())["heartbeats"]);
    }
}
