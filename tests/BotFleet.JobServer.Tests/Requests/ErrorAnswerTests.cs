using System.Net;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Requests;

/// <summary>Whatever goes wrong, a job API caller gets problem+json.</summary>
public sealed class ErrorAnswerTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Theory]
    [InlineData("GET", "v1/jobs/reports/extra")]
    [InlineData("GET", "v1/nothing-here")]
    [InlineData("POST", "v1/bots/bot_x/heartbeat/more")]
    [InlineData("GET", "v1/nothing")]
    [InlineData("POST", "v1/jobs/job_x/pause")]
    [InlineData("GET", "not-an-api")]
    public async Task UnknownRoute_Answers404Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await server.Http.SendAsync(request, TestJobs.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("DELETE", "v1/jobs", "GET, POST")]
    [InlineData("PATCH", "v1/bots/register", "POST")]
    [InlineData("POST", "v1/stats", "GET")]
    public async Task KnownRouteWithAnotherMethod_Answers405ProblemWithAllow(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await server.Http.SendAsync(request, TestJobs.Token);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("v1/jobs/reports", """{"reports":[{"job_id":"j",}]}""")]
    [InlineData("v1/jobs/claim", "not json")]
    [InlineData("v1/jobs/claim", "")]
    public async Task BotCall_BadJson_Answers400NamingTheBody(string path, string body)
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.PostJsonAsync(path, body, bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["body"], (await response.ReadErrorsAsync()).Keys);
    }

    [Fact]
    public async Task BotCall_BadJsonWithoutToken_Answers401BeforeReadingTheBody()
    {
        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", "not json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
