using System.Net;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobApi.Client.Tests;

/// <summary>Which job API answers are retried inside a call, and which are left to the caller.</summary>
public sealed class JobApiResilienceTests : IAsyncDisposable
{
    private readonly Queue<Func<HttpResponseMessage>> _answers = new();
    private readonly List<string> _requests = [];
    private readonly ServiceProvider _services;
    private readonly IJobApiClient _client;

    public JobApiResilienceTests()
    {
        var services = new ServiceCollection();
        services.AddJobApiClient(new Uri("http://job-server.test/"), TimeSpan.FromSeconds(30))
            .AddJobApiResilience(o =>
            {
                o.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler(async (request, ct) =>
            {
                lock (_requests)
                {
                    _requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
                }

                var answer = _answers.Dequeue();
                var response = answer();
                if (response.StatusCode == HttpStatusCode.RequestTimeout)
                {
                    // Stands for a server that never answers: outlive the attempt timeout.
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }

                return response;
            }));
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<IJobApiClient>();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_ServerErrorsThenAccepted_IsRetriedWithinTheCall()
    {
        Answer(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway);
        Answer(Accepted);

        var delivery = await _client.CompleteAsync("job_1", Complete, "token", Ct);

        Assert.Equal(ReportDelivery.Accepted, delivery);
        Assert.Equal(Enumerable.Repeat("POST /v1/jobs/job_1/complete", 3), _requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, ReportDelivery.Conflict)]
    [InlineData(HttpStatusCode.NotFound, ReportDelivery.NotFound)]
    public async Task Report_PermanentAnswer_IsNotRetried(HttpStatusCode status, ReportDelivery expected)
    {
        Answer(status);

        Assert.Equal(expected, await _client.FailAsync("job_1", new FailRequest("i", "e"), "token", Ct));
        Assert.Single(_requests);
    }

    [Fact]
    public async Task Report_BadRequest_IsNotRetriedAndIsPermanent()
    {
        Answer(HttpStatusCode.BadRequest);

        var error = await Assert.ThrowsAsync<JobApiException>(() => _client.CompleteAsync("job_1", Complete, "token", Ct));

        Assert.False(error.IsTransient);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task Report_AttemptTimesOut_IsRetried()
    {
        Answer(HttpStatusCode.RequestTimeout);
        Answer(Accepted);

        Assert.Equal(ReportDelivery.Accepted, await _client.CompleteAsync("job_1", Complete, "token", Ct));
        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task Claim_ServerError_IsNotRetried_SinceTheServerMayHaveLeasedTheJobs()
    {
        Answer(HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<JobApiException>(() => _client.ClaimAsync(Claim, "token", Ct));

        Assert.Equal((HttpStatusCode.InternalServerError, true), (error.StatusCode, error.IsTransient));
        Assert.Equal(["POST /v1/jobs/claim"], _requests);
    }

    [Fact]
    public async Task Claim_AttemptTimesOut_IsNotRetried()
    {
        Answer(HttpStatusCode.RequestTimeout);

        var error = await Assert.ThrowsAsync<JobApiException>(() => _client.ClaimAsync(Claim, "token", Ct));

        Assert.True(error.IsTransient);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task Claim_ConnectionRefused_IsRetried_SinceNothingReachedTheServer()
    {
        _answers.Enqueue(() => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        Answer(EmptyClaim);

        var claim = await _client.ClaimAsync(Claim, "token", Ct);

        Assert.Empty(claim.Jobs);
        Assert.Equal(2, _requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Claim_TooManyOrUnavailableWithAShortRetryAfter_WaitsAndRetries(HttpStatusCode status)
    {
        _answers.Enqueue(() => WithRetryAfter(status, TimeSpan.Zero));
        Answer(EmptyClaim);

        Assert.Empty((await _client.ClaimAsync(Claim, "token", Ct)).Jobs);
        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task Claim_TooManyWithALongRetryAfter_IsLeftToTheCallerWithTheWait()
    {
        _answers.Enqueue(() => WithRetryAfter(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<JobApiException>(() => _client.ClaimAsync(Claim, "token", Ct));

        Assert.Equal((HttpStatusCode.TooManyRequests, true, TimeSpan.FromSeconds(30)), (error.StatusCode, error.IsTransient, error.RetryAfter));
        Assert.Single(_requests);
    }

    [Fact]
    public async Task Heartbeat_UnavailableOnEveryAttempt_GivesUpAfterTheBoundedRetries()
    {
        for (var i = 0; i < 4; i++)
        {
            Answer(HttpStatusCode.ServiceUnavailable);
        }

        var error = await Assert.ThrowsAsync<JobApiException>(() =>
            _client.HeartbeatAsync("bot_1", new HeartbeatRequest("i", []), "token", Ct));

        Assert.True(error.IsTransient);
        Assert.Equal(4, _requests.Count);
    }

    private static CompleteRequest Complete => new("instance", JsonSerializer.SerializeToElement(new { value = 1 }));

    private static ClaimRequest Claim => new("bot_1", ["sum"], 5);

    private static HttpResponseMessage Accepted() => Json("""{"status":"accepted"}""");

    private static HttpResponseMessage EmptyClaim() => Json("""{"jobs":[]}""");

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage WithRetryAfter(HttpStatusCode status, TimeSpan wait)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("{}", Encoding.UTF8, "application/problem+json") };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return response;
    }

    private void Answer(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(() => new HttpResponseMessage(status) { Content = new StringContent("{}", Encoding.UTF8, "application/problem+json") });
        }
    }

    private void Answer(Func<HttpResponseMessage> answer) => _answers.Enqueue(answer);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
