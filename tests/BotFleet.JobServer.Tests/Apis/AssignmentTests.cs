using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

public sealed class AssignmentTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task Put_AllFields_Answers200WithTheNewAssignment()
    {
        var bot = await server.Client.RegisterAsync("sum", "subtract");

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/assignment", """{"operations":["sum"],"max_concurrency":3,"paused":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"operations":["sum"],"max_concurrency":3,"paused":true}""", await response.Content.ReadAsStringAsync(TestJobs.Token));
    }

    [Fact]
    public async Task Put_OneField_KeepsTheOthers()
    {
        var bot = await server.Client.RegisterAsync("sum", "subtract");

        var assignment = await server.Client.UpdateAssignmentAsync(bot.BotId, new UpdateAssignmentRequest(MaxConcurrency: 1000), TestJobs.Token);

        Assert.NotNull(assignment);
        Assert.Equal(["sum", "subtract"], assignment.Operations);
        Assert.Equal((1000, false), (assignment.MaxConcurrency, assignment.Paused));
    }

    [Fact]
    public async Task Put_UnknownBot_Answers404AndClientGivesNull()
    {
        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, "v1/bots/bot_nobody/assignment", """{"paused":true}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await server.Client.UpdateAssignmentAsync("bot_nobody", new UpdateAssignmentRequest(Paused: true), TestJobs.Token));
    }

    [Theory]
    [InlineData("""{}""", "body")]
    [InlineData("""{"operations":null,"paused":null}""", "body")]
    [InlineData("""{"operations":[]}""", "operations")]
    [InlineData("""{"operations":["sum",""]}""", "operations[1]")]
    [InlineData("""{"max_concurrency":0}""", "max_concurrency")]
    [InlineData("""{"max_concurrency":1001}""", "max_concurrency")]
    [InlineData("""{"paused":"yes"}""", "paused")]
    public async Task Put_BadField_Answers400NamingIt(string body, string field)
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/assignment", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Heartbeat_AfterChange_CarriesTheAssignmentOnceOnly()
    {
        var registration = TestJobs.Registration(["sum", "subtract"]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var quiet = await BeatAsync(bot, registration);
        await server.Client.UpdateAssignmentAsync(bot.BotId, new UpdateAssignmentRequest(["subtract"], 2, true), TestJobs.Token);

        using var first = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", $$"""{"instance_id":"{{registration.InstanceId}}","running":[]}""", bot.Auth.AccessToken);
        var second = await BeatAsync(bot, registration);

        Assert.Null(quiet.Assignment);
        using var document = JsonDocument.Parse(await first.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal("""{"operations":["subtract"],"max_concurrency":2,"paused":true}""", document.RootElement.GetProperty("assignment").GetRawText());
        Assert.Null(second.Assignment);
    }

    [Fact]
    public async Task Claim_PausedBot_GetsNoJobsUntilResumed()
    {
        var op = TestJobs.NewOp("paused");
        var bot = await server.Client.RegisterAsync(op);
        var jobId = await server.Client.SubmitOneAsync(op);
        await server.Client.UpdateAssignmentAsync(bot.BotId, new UpdateAssignmentRequest(Paused: true), TestJobs.Token);

        using var paused = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["{{op}}"],"limit":5}""", bot.Auth.AccessToken);
        await server.Client.UpdateAssignmentAsync(bot.BotId, new UpdateAssignmentRequest(Paused: false), TestJobs.Token);
        var resumed = await server.Client.ClaimJobsAsync(bot, 5, op);

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("""{"jobs":[]}""", await paused.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal([jobId], resumed.Select(j => j.Id));
    }

    [Fact]
    public async Task Claim_OperationTakenAway_IsNoLongerClaimed()
    {
        var kept = TestJobs.NewOp("kept");
        var removed = TestJobs.NewOp("removed");
        var bot = await server.Client.RegisterAsync(kept, removed);
        var keptId = await server.Client.SubmitOneAsync(kept);
        await server.Client.SubmitOneAsync(removed);
        await server.Client.UpdateAssignmentAsync(bot.BotId, new UpdateAssignmentRequest([kept]), TestJobs.Token);

        var claimed = await server.Client.ClaimJobsAsync(bot, 5, kept, removed);

        Assert.Equal([keptId], claimed.Select(j => j.Id));
    }

    private Task<HeartbeatResponse> BeatAsync(RegisterBotResponse bot, RegisterBotRequest registration) =>
        server.Client.HeartbeatAsync(bot.BotId, new HeartbeatRequest(registration.InstanceId, []), bot.Auth.AccessToken, TestJobs.Token);
}
