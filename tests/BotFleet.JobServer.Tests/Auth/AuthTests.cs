using System.Net;
using System.Net.Http.Headers;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Auth;

/// <summary>Bot calls carry the bot's own bearer token: 401 without a good one, 403 with another bot's (409 for a report on a job another bot holds).</summary>
public sealed class AuthTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    public static TheoryData<string, string> BotCalls => new()
    {
        { "PUT", "v1/bots/{bot}/heartbeat" },
        { "POST", "v1/jobs/claim" },
        { "POST", "v1/jobs/{job}/complete" },
        { "POST", "v1/jobs/{job}/fail" },
        { "POST", "v1/jobs/reports" },
    };

    [Theory]
    [MemberData(nameof(BotCalls))]
    public async Task BotCall_WithoutToken_Answers401ProblemWithBearerChallenge(string method, string path)
    {
        var (bot, _, jobId) = await server.Client.ClaimOneAsync("no-token");

        using var response = await server.Http.SendJsonAsync(new HttpMethod(method), Fill(path, bot, jobId), Body(path, bot, jobId));

        await AssertUnauthorizedAsync(response);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Null(response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("bot_0123.wrong-secret")]
    [InlineData(".")]
    public async Task BotCall_UnknownToken_Answers401(string token)
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", Heartbeat, token);

        await AssertUnauthorizedAsync(response);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task BotCall_RightBotWrongSecret_Answers401()
    {
        var bot = await server.Client.RegisterAsync("sum");
        var forged = bot.BotId + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", Heartbeat, forged);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task BotCall_TokenReplacedByReRegistration_Answers401()
    {
        var registration = TestJobs.Registration(["sum"]);
        var first = await server.Client.RegisterAsync(registration, TestJobs.Token);
        await server.Client.RegisterAsync(registration, TestJobs.Token);

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{first.BotId}/heartbeat", Heartbeat, first.Auth.AccessToken);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task BotCall_TokenExpired_Answers401UntilTheBotRegistersAgain()
    {
        var registration = TestJobs.Registration(["sum"]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        server.Time.Advance(TimeSpan.FromSeconds(bot.Auth.ExpiresIn!.Value - 1));
        using var stillValid = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", Heartbeat, bot.Auth.AccessToken);

        server.Time.Advance(TimeSpan.FromSeconds(1));
        using var expired = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", Heartbeat, bot.Auth.AccessToken);
        var again = await server.Client.RegisterAsync(registration, TestJobs.Token);
        using var renewed = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", Heartbeat, again.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        await AssertUnauthorizedAsync(expired);
        Assert.Equal("invalid_token", ParameterOf(expired, "error"));
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
    }

    [Fact]
    public async Task Client_ExpiredToken_ThrowsNonTransient401()
    {
        var bot = await server.Client.RegisterAsync("sum");
        server.Time.Advance(TimeSpan.FromSeconds(bot.Auth.ExpiresIn!.Value));

        var error = await Assert.ThrowsAsync<JobApiException>(() =>
            server.Client.ClaimAsync(new ClaimRequest(bot.BotId, ["sum"], 1), bot.Auth.AccessToken, TestJobs.Token));

        Assert.Equal((HttpStatusCode.Unauthorized, false), (error.StatusCode, error.IsTransient));
    }

    [Fact]
    public async Task Heartbeat_AnotherBotsToken_Answers403()
    {
        var owner = await server.Client.RegisterAsync("sum");
        var other = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{owner.BotId}/heartbeat", Heartbeat, other.Auth.AccessToken);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Claim_AnotherBotsIdInBody_Answers403AndLeasesNothing()
    {
        var op = TestJobs.NewOp("claim-403");
        var owner = await server.Client.RegisterAsync(op);
        var other = await server.Client.RegisterAsync(op);
        var jobId = await server.Client.SubmitOneAsync(op);

        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{owner.BotId}}","operations":["{{op}}"],"limit":1}""", other.Auth.AccessToken);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(JobStatuses.Pending, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Status);
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("fail")]
    public async Task Report_ByBotThatNeverHeldTheJob_Answers409AndChangesNothing(string action)
    {
        // Another bot's lease is a conflict (the sender must drop the report), as docs/job-api.md says; not a 403.
        var (holder, instanceId, jobId) = await server.Client.ClaimOneAsync("report-409-" + action);
        var other = await server.Client.RegisterAsync("sum");
        var body = action == "complete" ? $$$"""{"instance_id":"{{{instanceId}}}","result":{}}""" : $$$"""{"instance_id":"{{{instanceId}}}","error":"x"}""";
        var ownInstanceBody = body.Replace(instanceId, Guid.NewGuid().ToString(), StringComparison.Ordinal);

        using var withHoldersInstance = await server.Http.PostJsonAsync($"v1/jobs/{jobId}/{action}", body, other.Auth.AccessToken);
        using var withOwnInstance = await server.Http.PostJsonAsync($"v1/jobs/{jobId}/{action}", ownInstanceBody, other.Auth.AccessToken);

        await AssertProblemAsync(withHoldersInstance, HttpStatusCode.Conflict);
        await AssertProblemAsync(withOwnInstance, HttpStatusCode.Conflict);
        Assert.Equal(JobStatuses.Leased, (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Status);
        Assert.Equal(ReportDelivery.Accepted, await server.Client.CompleteAsync(holder, jobId, instanceId));
    }

    [Fact]
    public async Task Report_ByEarlierHolderAfterAnotherBotReclaimed_Answers409AsTheSpecSays()
    {
        var (first, firstInstance, jobId) = await server.Client.ClaimOneAsync("reclaimed");
        var op = (await server.Client.GetJobAsync(jobId, TestJobs.Token))!.Op;
        var second = await server.Client.RegisterAsync(op);
        server.Time.Advance(TimeSpan.FromSeconds(301));
        Assert.Single(await server.Client.ClaimJobsAsync(second, 1, op));

        var delivery = await server.Client.CompleteAsync(first, jobId, firstInstance);

        Assert.Equal(ReportDelivery.Conflict, delivery);
    }

    [Fact]
    public async Task Report_UnknownJobWithValidToken_Answers404()
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.PostJsonAsync("v1/jobs/job_nothing/complete", """{"instance_id":"i","result":{}}""", bot.Auth.AccessToken);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task IssuedToken_NamesItsBot()
    {
        var bot = await server.Client.RegisterAsync("sum");

        Assert.StartsWith(bot.BotId + ".", bot.Auth.AccessToken, StringComparison.Ordinal);
        Assert.True(bot.Auth.AccessToken.Length > bot.BotId.Length + 40);
    }

    private const string Heartbeat = """{"instance_id":"i","running":[]}""";

    private static string Fill(string path, RegisterBotResponse bot, string jobId) =>
        path.Replace("{bot}", bot.BotId, StringComparison.Ordinal).Replace("{job}", jobId, StringComparison.Ordinal);

    private static string Body(string path, RegisterBotResponse bot, string jobId) => path switch
    {
        "v1/jobs/claim" => $$"""{"bot_id":"{{bot.BotId}}","operations":["sum"],"limit":1}""",
        "v1/jobs/reports" => $$"""{"reports":[{"job_id":"{{jobId}}","action":"complete","instance_id":"i"}]}""",
        _ when path.EndsWith("/fail", StringComparison.Ordinal) => """{"instance_id":"i","error":"x"}""",
        _ => Heartbeat,
    };

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response) => await AssertProblemAsync(response, HttpStatusCode.Unauthorized);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"status\":{(int)status}", await response.Content.ReadAsStringAsync(TestJobs.Token), StringComparison.Ordinal);
    }

    private static string? ParameterOf(HttpResponseMessage response, string name)
    {
        var parameter = response.Headers.WwwAuthenticate.Single().Parameter ?? string.Empty;
        return parameter.Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p[0] == name)
            .Select(p => p[1].Trim('"'))
            .SingleOrDefault();
    }
}
