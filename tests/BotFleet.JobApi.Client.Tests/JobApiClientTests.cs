using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobApi.Client.Tests;

public sealed class JobApiClientTests
{
    private static readonly Uri BaseAddress = new("http://127.0.0.1:5080/");
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2025, 1, 19, 10, 0, 0, TimeSpan.Zero));
    private static readonly FailRequest Failure = new("instance", "boom");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_Answer200_IsAcceptedAndSendsBearerToken()
    {
        var handler = StubHandler.Answering(() => Json(HttpStatusCode.OK, """{"status":"accepted"}"""));
        var client = Create(handler);

        var delivery = await client.FailAsync("job_1", Failure with { RetryAfterMs = 5000 }, "token-1", Token);

        Assert.Equal(ReportDelivery.Accepted, delivery);
        Assert.Equal(HttpMethod.Post, handler.LastRequest!.Method);
        Assert.Equal(new Uri("http://127.0.0.1:5080/v1/jobs/job_1/fail"), handler.LastRequest.RequestUri);
        Assert.Equal("Bearer token-1", handler.LastRequest.Headers.Authorization?.ToString());
        Assert.Equal("""{"instance_id":"instance","error":"boom","retry_after_ms":5000}""", handler.LastBody);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, ReportDelivery.Conflict)]
    [InlineData(HttpStatusCode.NotFound, ReportDelivery.NotFound)]
    public async Task Report_RefusedAnswer_MapsToDelivery(HttpStatusCode status, ReportDelivery expected)
    {
        var client = Create(StubHandler.Answering(() => Json(status, """{"title":"no"}""", "application/problem+json")));

        var delivery = await client.CompleteAsync("job_1", new CompleteRequest("instance", JsonSerializer.SerializeToElement(new { sum = 1 })), "t", Token);

        Assert.Equal(expected, delivery);
    }

    [Fact]
    public async Task Call_Answer503WithRetryAfterSeconds_ThrowsTransientWithDelay()
    {
        var client = Create(StubHandler.Answering(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.Add("Retry-After", "7");
            return response;
        }));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.FailAsync("job_1", Failure, "t", Token));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, true, TimeSpan.FromSeconds(7)), (error.StatusCode!.Value, error.IsTransient, error.RetryAfter!.Value));
    }

    [Fact]
    public async Task Call_Answer429WithRetryAfterDate_ThrowsTransientWithDelayFromNow()
    {
        var client = Create(StubHandler.Answering(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.Add("Retry-After", Time.GetUtcNow().AddSeconds(30).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.ClaimAsync(new ClaimRequest("bot_1", ["sum"], 1), "t", Token));

        Assert.Equal((HttpStatusCode.TooManyRequests, true, TimeSpan.FromSeconds(30)), (error.StatusCode!.Value, error.IsTransient, error.RetryAfter!.Value));
    }

    [Fact]
    public async Task Call_Answer500WithoutRetryAfter_ThrowsTransientWithoutDelay()
    {
        var client = Create(StubHandler.Answering(() => new HttpResponseMessage(HttpStatusCode.InternalServerError)));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.GetStatsAsync(Token));

        Assert.Equal((HttpStatusCode.InternalServerError, true, (TimeSpan?)null), (error.StatusCode!.Value, error.IsTransient, error.RetryAfter));
    }

    [Fact]
    public async Task Call_Answer400Problem_ThrowsPermanentNamingTheField()
    {
        var client = Create(StubHandler.Answering(() => Json(
            HttpStatusCode.BadRequest,
            """{"title":"The request is invalid.","status":400,"detail":"See errors.","errors":{"payload":["Must be a JSON object, got a string."]}}""",
            "application/problem+json")));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.SubmitAsync(new SubmitJobRequest("sum", JsonSerializer.SerializeToElement("x")), Token));

        Assert.Equal((HttpStatusCode.BadRequest, false), (error.StatusCode!.Value, error.IsTransient));
        Assert.Equal("Job API submit answered 400 Bad Request: See errors. (payload: Must be a JSON object, got a string.)", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task Call_AnswerClientError_ThrowsPermanent(HttpStatusCode status)
    {
        var client = Create(StubHandler.Answering(() => new HttpResponseMessage(status)));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.HeartbeatAsync("bot_1", new HeartbeatRequest("i", []), "t", Token));

        Assert.Equal((status, false), (error.StatusCode!.Value, error.IsTransient));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"jobs":"many"}""")]
    public async Task Call_Unparseable2xxBody_ThrowsPermanent(string body)
    {
        var client = Create(StubHandler.Answering(() => Json(HttpStatusCode.OK, body)));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.ClaimAsync(new ClaimRequest("bot_1", ["sum"], 1), "t", Token));

        Assert.Equal((HttpStatusCode.OK, false), (error.StatusCode!.Value, error.IsTransient));
    }

    [Fact]
    public async Task Register_AnswerWithOnlyTheRequiredFields_ReadsWithTheOptionalOnesAbsent()
    {
        var client = Create(StubHandler.Answering(() => Json(
            HttpStatusCode.Created,
            """{"bot_id":"bot_1","auth":{"access_token":"t"},"assignment":{"operations":["sum"],"max_concurrency":5}}""")));

        var answer = await client.RegisterAsync(new RegisterBotRequest("key", "instance", "1.0.0", ["sum"], new BotResources(1, 512)), Token);

        Assert.Equal(["sum"], answer.Assignment.Operations);
        Assert.Equal(
            ("bot_1", "t", (string?)null, (int?)null, 5, false, (BotConfig?)null, (BotEndpoints?)null),
            (answer.BotId, answer.Auth.AccessToken, answer.Auth.RefreshToken, answer.Auth.ExpiresIn,
                answer.Assignment.MaxConcurrency, answer.Assignment.Paused, answer.Config, answer.Endpoints));
    }

    [Fact]
    public async Task Call_ClaimWithoutJobsField_ThrowsPermanent()
    {
        var client = Create(StubHandler.Answering(() => Json(HttpStatusCode.OK, "{}")));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.ClaimAsync(new ClaimRequest("bot_1", ["sum"], 1), "t", Token));

        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Call_HttpClientTimeout_ThrowsTransientWithoutStatus()
    {
        var client = Create(new StubHandler((_, _) => throw new TaskCanceledException("timed out", new TimeoutException())));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.FailAsync("job_1", Failure, "t", Token));

        Assert.Equal((null, true), (error.StatusCode, error.IsTransient));
        Assert.IsType<TaskCanceledException>(error.InnerException);
    }

    [Fact]
    public async Task Call_CallerCancels_ThrowsOperationCanceled()
    {
        var client = Create(new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.FailAsync("job_1", Failure, "t", cancellation.Token));
    }

    [Fact]
    public async Task Call_ConnectionRefused_ThrowsTransientWithoutStatus()
    {
        // A port that was just free and is closed again: nothing listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new JobApiClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.GetStatsAsync(Token));

        Assert.Equal((null, true), (error.StatusCode, error.IsTransient));
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task GetJob_Answer404_ReturnsNull()
    {
        var client = Create(StubHandler.Answering(() => new HttpResponseMessage(HttpStatusCode.NotFound)));

        Assert.Null(await client.GetJobAsync("job_1", Token));
    }

    [Fact]
    public async Task Submit_WrongNumberOfIds_ThrowsPermanent()
    {
        var client = Create(StubHandler.Answering(() => Json(HttpStatusCode.Created, """{"ids":["job_1","job_2"]}""")));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.SubmitAsync(new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = 1 })), Token));

        Assert.False(error.IsTransient);
    }

    [Fact]
    public void AddJobApiClient_Registered_ResolvesBothInterfacesWithBase_AndLeavesTheCallTimeoutToItsOwnHandler()
    {
        var services = new ServiceCollection();
        services.AddJobApiClient(new Uri("http://127.0.0.1:5080/prefix"), TimeSpan.FromSeconds(12));
        using var provider = services.BuildServiceProvider();

        var bots = provider.GetRequiredService<IJobApiClient>();
        var producers = provider.GetRequiredService<IJobProducerClient>();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(JobApiClient));

        Assert.IsType<JobApiClient>(bots);
        Assert.IsType<JobApiClient>(producers);
        // HttpClient.Timeout cannot grow for one request; JobApiCallTimeoutHandler can (long-poll claims).
        Assert.Equal((new Uri("http://127.0.0.1:5080/prefix/"), Timeout.InfiniteTimeSpan), (http.BaseAddress, http.Timeout));
    }

    private static JobApiClient Create(StubHandler handler) => new(new HttpClient(handler) { BaseAddress = BaseAddress }, null, Time);

    [Fact]
    public async Task ReportBatch_SendsReportsWithBearerAndReadsResultsInOrder()
    {
        var handler = StubHandler.Answering(() => Json(HttpStatusCode.OK, """{"results":[{"job_id":"job_1","status":"accepted"},{"job_id":"job_2","status":"forbidden","error":"no"}]}"""));
        var client = Create(handler);

        var results = await client.ReportBatchAsync(
            [
                ReportBatchItem.Complete("job_1", new CompleteRequest("instance", JsonSerializer.SerializeToElement(new { sum = 1 }))),
                ReportBatchItem.Fail("job_2", Failure with { RetryAfterMs = 10 }),
            ],
            "token-1",
            Token);

        Assert.Equal([new ReportBatchItemResult("job_1", "accepted"), new ReportBatchItemResult("job_2", "forbidden", "no")], results);
        Assert.Equal(new Uri("http://127.0.0.1:5080/v1/jobs/reports"), handler.LastRequest!.RequestUri);
        Assert.Equal("Bearer token-1", handler.LastRequest.Headers.Authorization?.ToString());
        Assert.Equal(
            """{"reports":[{"job_id":"job_1","action":"complete","instance_id":"instance","result":{"sum":1}},{"job_id":"job_2","action":"fail","instance_id":"instance","error":"boom","retry_after_ms":10}]}""",
            handler.LastBody);
    }

    [Fact]
    public async Task ReportBatch_FewerResultsThanReports_ThrowsMalformed()
    {
        var client = Create(StubHandler.Answering(() => Json(HttpStatusCode.OK, """{"results":[]}""")));

        var error = await Assert.ThrowsAsync<JobApiException>(() => client.ReportBatchAsync([ReportBatchItem.Fail("job_1", Failure)], "t", Token));

        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task UpdateAssignment_SendsOnlyTheGivenFields()
    {
        var handler = StubHandler.Answering(() => Json(HttpStatusCode.OK, """{"operations":["sum"],"max_concurrency":2,"paused":true}"""));
        var client = Create(handler);

        var assignment = await client.UpdateAssignmentAsync("bot_1", new UpdateAssignmentRequest(Paused: true), Token);

        Assert.Equal(HttpMethod.Put, handler.LastRequest!.Method);
        Assert.Equal(new Uri("http://127.0.0.1:5080/v1/bots/bot_1/assignment"), handler.LastRequest.RequestUri);
        Assert.Equal("""{"paused":true}""", handler.LastBody);
        Assert.Equal((2, true), (assignment!.MaxConcurrency, assignment.Paused));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
}
