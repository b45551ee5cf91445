using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class BotsApiTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Register_NewBotKey_Answers201WithAssignmentAndConfig()
    {
        var request = TestJobs.Registration(["sum", "subtract"]);

        using var response = await server.Http.PostJsonAsync("v1/bots/register", JsonSerializer.Serialize(request, JobApiJson.Options));
        var body = JsonSerializer.Deserialize<RegisterBotResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("bot_", body.BotId, StringComparison.Ordinal);
        Assert.Equal(["sum", "subtract"], body.Assignment.Operations);
        Assert.Equal(5, body.Assignment.MaxConcurrency);
        Assert.False(body.Assignment.Paused);
        // max_result_bytes is JobServer:MaxPayloadBytes (1 MiB by default): the bot fails a larger result instead of sending it.
        Assert.Equal(new BotConfig(30, 100, 300, MaxClaimWaitMs: 30_000, MaxResultBytes: 1_048_576), body.Config);
        Assert.Equal(3600, body.Auth.ExpiresIn);
        Assert.Equal(new BotEndpoints($"/v1/bots/{body.BotId}/heartbeat", "/v1/jobs/claim", "/v1/jobs/{job_id}/{action}"), body.Endpoints);
    }

    [Fact]
    public async Task Register_SameBotKeyAgain_Answers200WithSameBotIdAndNewToken()
    {
        var first = TestJobs.Registration(["sum"]);
        var again = first with { InstanceId = Guid.NewGuid().ToString(), Capabilities = ["sum", "multiply"] };

        using var firstResponse = await server.Http.PostJsonAsync("v1/bots/register", JsonSerializer.Serialize(first, JobApiJson.Options));
        using var againResponse = await server.Http.PostJsonAsync("v1/bots/register", JsonSerializer.Serialize(again, JobApiJson.Options));
        var firstBody = JsonSerializer.Deserialize<RegisterBotResponse>(await firstResponse.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!;
        var againBody = JsonSerializer.Deserialize<RegisterBotResponse>(await againResponse.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!;

        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, againResponse.StatusCode);
        Assert.Equal(firstBody.BotId, againBody.BotId);
        Assert.NotEqual(firstBody.Auth.AccessToken, againBody.Auth.AccessToken);
        Assert.Equal(["sum", "multiply"], againBody.Assignment.Operations);
    }

    [Fact]
    public async Task Register_WithMaxConcurrencyConstraint_AssignsIt()
    {
        var constraints = JsonSerializer.SerializeToElement(new { max_concurrency = 12 });

        var bot = await server.Client.RegisterAsync(TestJobs.Registration(["sum"], constraints: constraints), TestJobs.Token);

        Assert.Equal(12, bot.Assignment.MaxConcurrency);
    }

    [Fact]
    public async Task Register_WithAuthorizationHeader_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/bots/register")
        {
            Content = new StringContent(JsonSerializer.Serialize(TestJobs.Registration(["sum"]), JobApiJson.Options)),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "whatever");

        using var response = await server.Http.SendAsync(request, TestJobs.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_ForHeldJob_ExtendsItsLease()
    {
        var op = TestJobs.NewOp("beat");
        var registration = TestJobs.Registration([op]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var jobId = await server.Client.SubmitOneAsync(op);
        var claimed = (await server.Client.ClaimJobsAsync(bot, 1, op)).Single();
        server.Time.Advance(TimeSpan.FromSeconds(100));

        var beat = await server.Client.HeartbeatAsync(
            bot.BotId,
            new HeartbeatRequest(registration.InstanceId, [new RunningJob(jobId, op, 100_000, claimed.LeaseUntil)], new BotMetrics(0.5, 300)),
            bot.Auth.AccessToken,
            TestJobs.Token);

        var expected = server.Time.GetUtcNow().AddSeconds(300);
        Assert.Equal(expected, beat.LeaseExtendedTo);
        Assert.Equal([new JobLease(jobId, expected)], beat.Leases);
        Assert.Equal(expected, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.LeaseUntil);
    }

    [Fact]
    public async Task Heartbeat_FromAnotherInstance_ExtendsNothing()
    {
        var op = TestJobs.NewOp("beat-other");
        var bot = await server.Client.RegisterAsync(op);
        var jobId = await server.Client.SubmitOneAsync(op);
        var claimed = (await server.Client.ClaimJobsAsync(bot, 1, op)).Single();

        var beat = await server.Client.HeartbeatAsync(
            bot.BotId,
            new HeartbeatRequest(Guid.NewGuid().ToString(), [new RunningJob(jobId, op, 1, null)]),
            bot.Auth.AccessToken,
            TestJobs.Token);

        Assert.Empty(beat.Leases!);
        Assert.Equal(claimed.LeaseUntil, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.LeaseUntil);
    }

    [Fact]
    public async Task Heartbeat_ForAnotherBotId_Answers403Problem()
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, "v1/bots/bot_unknown/heartbeat", """{"instance_id":"x","running":[]}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Heartbeat_WithHealth_IsWhatTheBotListShows_UntilAHeartbeatWithoutIt()
    {
        var (_, bot, instance) = await server.Client.BotOfOwnOpAsync("health");

        await server.Client.HeartbeatAsync(bot.BotId, new HeartbeatRequest(instance, [], Health: new BotHealth(4, "claim failed: 503")), bot.Auth.AccessToken, TestJobs.Token);
        var reported = await HealthOfAsync(bot.BotId);
        await server.Client.HeartbeatAsync(bot.BotId, new HeartbeatRequest(instance, []), bot.Auth.AccessToken, TestJobs.Token);
        var cleared = await HealthOfAsync(bot.BotId);

        Assert.Equal(new BotHealth(4, "claim failed: 503"), reported);
        Assert.Null(cleared);
    }

    [Theory]
    [InlineData("""{"outbox_size":-1}""", "health.outbox_size")]
    [InlineData("""{"last_error":"x"}""", "health.outbox_size")]
    [InlineData("""{"outbox_size":"3"}""", "health.outbox_size")]
    [InlineData("""{"outbox_size":0,"last_error":"TOO_LONG"}""", "health.last_error")]
    [InlineData("\"fine\"", "health")]
    public async Task Heartbeat_WithBadHealth_Answers400NamingTheField_AndStoresNothing(string health, string field)
    {
        var (_, bot, instance) = await server.Client.BotOfOwnOpAsync("health-bad");
        health = health.Replace("TOO_LONG", new string('e', BotHealth.MaxLastErrorLength + 1), StringComparison.Ordinal);

        using var response = await server.Http.SendJsonAsync(
            HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", $$"""{"instance_id":"{{instance}}","running":[],"health":{{health}}}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal([field], problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Null(await HealthOfAsync(bot.BotId));
    }

    private async Task<BotHealth?> HealthOfAsync(string botId)
    {
        var list = await server.Http.GetStringAsync("v1/bots", TestJobs.Token);
        var bots = JsonSerializer.Deserialize<BotListResponse>(list, JobApiJson.Options)!;
        return bots.Bots.Single(b => b.BotId == botId).Health;
    }
}
