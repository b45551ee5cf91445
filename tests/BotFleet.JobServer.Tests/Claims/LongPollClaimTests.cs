using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobServer.Tests.Claims;

/// <summary>Long-poll claims (wait_ms) on the SQLite server with its fake clock: nothing here waits for real time to pass.</summary>
public sealed class LongPollClaimTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task LongPoll_JobSubmittedWhileWaiting_AnswersWithItBeforeTheWaitEnds()
    {
        var op = TestJobs.NewOp("long-poll");
        var bot = await server.Client.RegisterAsync(op);
        var before = server.Time.GetUtcNow();

        var claim = server.Client.ClaimAsync(new ClaimRequest(bot.BotId, [op], 10, WaitMs: 30_000), bot.Auth.AccessToken, TestJobs.Token);
        await ParkedClaims.WaitForAsync(server.App.Services, 1);
        var id = await server.Client.SubmitOneAsync(op);
        var answer = await claim.WaitAsync(TimeSpan.FromSeconds(20), TestJobs.Token);

        Assert.Equal([id], answer.Jobs.Select(j => j.GetProperty("id").GetString()));
        // The fake clock never moved: the claim answered on the arrival, not on the end of its wait.
        Assert.Equal(before, server.Time.GetUtcNow());
        Assert.Equal(0, ParkedClaims.Of(server.App.Services).Count);
    }

    [Fact]
    public async Task LongPoll_NothingArrives_AnswersEmptyOnceTheWaitHasPassed()
    {
        var op = TestJobs.NewOp("long-poll-empty");
        var bot = await server.Client.RegisterAsync(op);

        var claim = server.Client.ClaimAsync(new ClaimRequest(bot.BotId, [op], 10, WaitMs: 5_000), bot.Auth.AccessToken, TestJobs.Token);
        await ParkedClaims.WaitForAsync(server.App.Services, 1);
        server.Time.Advance(TimeSpan.FromMilliseconds(4_999));
        await Task.Yield();
        var early = claim.IsCompleted;
        server.Time.Advance(TimeSpan.FromMilliseconds(1));
        var answer = await claim.WaitAsync(TimeSpan.FromSeconds(20), TestJobs.Token);

        Assert.False(early);
        Assert.Empty(answer.Jobs);
    }

    [Fact]
    public async Task LongPoll_OtherOperationSubmitted_KeepsWaiting()
    {
        var op = TestJobs.NewOp("long-poll-mine");
        var bot = await server.Client.RegisterAsync(op);

        var claim = server.Client.ClaimAsync(new ClaimRequest(bot.BotId, [op], 10, WaitMs: 5_000), bot.Auth.AccessToken, TestJobs.Token);
        await ParkedClaims.WaitForAsync(server.App.Services, 1);
        await server.Client.SubmitOneAsync(TestJobs.NewOp("long-poll-other"));
        var stillWaiting = !claim.IsCompleted;
        server.Time.Advance(TimeSpan.FromSeconds(5));
        var answer = await claim.WaitAsync(TimeSpan.FromSeconds(20), TestJobs.Token);

        Assert.True(stillWaiting);
        Assert.Empty(answer.Jobs);
    }

    [Fact]
    public async Task Claim_WithoutWaitMs_AnswersAtOnceAsBefore()
    {
        var op = TestJobs.NewOp("no-wait");
        var bot = await server.Client.RegisterAsync(op);

        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["{{op}}"],"limit":5}""", bot.Auth.AccessToken);
        using var zero = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["{{op}}"],"limit":5,"wait_ms":0}""", bot.Auth.AccessToken);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (response.StatusCode, zero.StatusCode));
        Assert.Equal("""{"jobs":[]}""", await response.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal("""{"jobs":[]}""", await zero.Content.ReadAsStringAsync(TestJobs.Token));
    }

    [Fact]
    public void ClaimRequest_WithoutWaitMs_SerializesAsBefore()
    {
        Assert.Equal("""{"bot_id":"b","operations":["sum"],"limit":3}""", JsonSerializer.Serialize(new ClaimRequest("b", ["sum"], 3), JobApiJson.Options));
        Assert.Equal("""{"bot_id":"b","operations":["sum"],"limit":3,"wait_ms":250}""", JsonSerializer.Serialize(new ClaimRequest("b", ["sum"], 3, 250), JobApiJson.Options));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("30001")]
    [InlineData("\"100\"")]
    [InlineData("1.5")]
    public async Task Claim_BadWaitMs_Answers400NamingIt(string waitMs)
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["sum"],"limit":1,"wait_ms":{{waitMs}}}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["wait_ms"], (await response.ReadErrorsAsync()).Keys);
    }
}
