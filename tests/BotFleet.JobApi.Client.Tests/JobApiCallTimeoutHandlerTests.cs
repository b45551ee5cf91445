using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.JobApi.Client.Tests;

/// <summary>The whole-call timeout, on a fake clock: a long-poll claim's wait is added to it, nothing else's.</summary>
public sealed class JobApiCallTimeoutHandlerTests
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private static (JobApiClient Client, FakeTimeProvider Time, TaskCompletionSource<HttpResponseMessage> Answer) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new StubHandler((_, cancellationToken) => answer.Task.WaitAsync(cancellationToken));
        var http = new HttpClient(new JobApiCallTimeoutHandler(CallTimeout, time) { InnerHandler = server })
        {
            BaseAddress = new Uri("http://127.0.0.1:5080/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return (new JobApiClient(http, null, time), time, answer);
    }

    [Fact]
    public async Task ACallWithoutServerWait_TimesOutAfterTheCallTimeout()
    {
        var (client, time, _) = Create();

        var claim = client.ClaimAsync(new ClaimRequest("bot_1", ["sum"], 10), "token", TestContext.Current.CancellationToken);
        time.Advance(CallTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(claim.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<JobApiException>(() => claim);
        Assert.True(error.IsTransient);
        Assert.Contains("no answer within the timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongPollClaim_GetsItsWaitOnTopOfTheCallTimeout_AndIsAnsweredWhenTheServerAnswers()
    {
        var (client, time, answer) = Create();

        var claim = client.ClaimAsync(new ClaimRequest("bot_1", ["sum"], 10, WaitMs: 30_000), "token", TestContext.Current.CancellationToken);
        time.Advance(CallTimeout + TimeSpan.FromSeconds(29));
        Assert.False(claim.IsCompleted);
        answer.SetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"jobs":[]}""", System.Text.Encoding.UTF8, "application/json") });

        Assert.Empty((await claim).Jobs);
    }

    [Fact]
    public async Task ALongPollClaimTheServerNeverAnswers_StillTimesOut_AfterTheCallTimeoutPlusItsWait()
    {
        var (client, time, _) = Create();

        var claim = client.ClaimAsync(new ClaimRequest("bot_1", ["sum"], 10, WaitMs: 30_000), "token", TestContext.Current.CancellationToken);
        time.Advance(CallTimeout + TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<JobApiException>(() => claim);
    }
}
