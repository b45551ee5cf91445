using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Auth;

public sealed class AccessKeyTests(KeyedJobServerFixture server) : IClassFixture<KeyedJobServerFixture>
{
    public static TheoryData<string, string, string?> ProducerCalls => new()
    {
        { "POST", "v1/jobs", """{"op":"sum","payload":{}}""" },
        { "GET", "v1/jobs/job_x", null },
        { "GET", "v1/jobs?limit=1", null },
        { "GET", "v1/stats", null },
        { "PUT", "v1/bots/bot_x/assignment", """{"paused":true}""" },
        { "POST", "v1/jobs/job_x/requeue", null },
        { "POST", "v1/jobs/job_x/discard", null },
        { "POST", "v1/jobs/requeue", """{"all":true}""" },
        { "POST", "v1/jobs/discard", """{"all":true}""" },
    };

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("")]
    public async Task Register_WithoutTheEnrollmentKey_Answers401(string? key)
    {
        using var response = await SendAsync(HttpMethod.Post, "v1/bots/register", JsonSerializer.Serialize(TestJobs.Registration(["sum"]), JobApiJson.Options), JobApiHeaders.EnrollmentKey, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(KeyedJobServerFixture.EnrollmentKey, await response.Content.ReadAsStringAsync(TestJobs.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithTheEnrollmentKey_Answers201()
    {
        using var response = await SendAsync(HttpMethod.Post, "v1/bots/register", JsonSerializer.Serialize(TestJobs.Registration(["sum"]), JobApiJson.Options), JobApiHeaders.EnrollmentKey, KeyedJobServerFixture.EnrollmentKey);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(ProducerCalls))]
    public async Task ProducerCall_WithoutTheApiKey_Answers401EvenFromLoopback(string method, string path, string? body)
    {
        using var missing = await SendAsync(new HttpMethod(method), path, body, JobApiHeaders.ApiKey, null);
        using var wrong = await SendAsync(new HttpMethod(method), path, body, JobApiHeaders.ApiKey, KeyedJobServerFixture.ApiKey + "x");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missing.StatusCode, wrong.StatusCode));
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(ProducerCalls))]
    public async Task ProducerCall_WithTheApiKey_PassesTheCheck(string method, string path, string? body)
    {
        using var response = await SendAsync(new HttpMethod(method), path, body, JobApiHeaders.ApiKey, KeyedJobServerFixture.ApiKey);

        // Past the key check each call answers as usual: unknown job or bot is 404.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.NotFound });
    }

    [Fact]
    public async Task Client_WithKeysAsDefaultHeaders_RegistersSubmitsAndClaims()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add(JobApiHeaders.ApiKey, KeyedJobServerFixture.ApiKey);
        http.DefaultRequestHeaders.Add(JobApiHeaders.EnrollmentKey, KeyedJobServerFixture.EnrollmentKey);
        var client = new JobApiClient(http, null, server.Time);
        var op = TestJobs.NewOp("keyed");

        var bot = await client.RegisterAsync(TestJobs.Registration([op]), TestJobs.Token);
        var jobId = (await client.SubmitAsync(new SubmitJobRequest(op, TestJobs.Payload(1)), TestJobs.Token)).Single();
        var claimed = await client.ClaimJobsAsync(bot, 1, op);

        Assert.Equal([jobId], claimed.Select(j => j.Id));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string header, string? value)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (value is not null)
        {
            request.Headers.Add(header, value);
        }

        return await server.Http.SendAsync(request, TestJobs.Token);
    }
}
