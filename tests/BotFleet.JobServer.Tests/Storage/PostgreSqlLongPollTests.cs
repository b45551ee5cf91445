using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;
using BotFleet.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>Two job servers in this process on one PostgreSQL database: a submit through one wakes a long poll on the other.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlLongPollTests(PostgresFixture postgres)
{
    [Fact]
    public async Task LongPoll_JobSubmittedThroughAnotherServer_WakesTheWaitingClaim()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var a = await StartAsync(connectionString);
        await using var b = await StartAsync(connectionString);
        using var httpA = new HttpClient { BaseAddress = new Uri(a.Urls.Single() + "/"), Timeout = TimeSpan.FromSeconds(60) };
        using var httpB = new HttpClient { BaseAddress = new Uri(b.Urls.Single() + "/"), Timeout = TimeSpan.FromSeconds(60) };
        var clientA = new JobApiClient(httpA);
        var clientB = new JobApiClient(httpB);
        var op = TestJobs.NewOp("pg-long-poll");
        var bot = await clientB.RegisterAsync(op);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var claim = clientB.ClaimAsync(new ClaimRequest(bot.BotId, [op], 10, WaitMs: 30_000), bot.Auth.AccessToken, TestJobs.Token);
        await ParkedClaims.WaitForAsync(b.Services, 1);
        var id = await clientA.SubmitOneAsync(op);
        var answer = await claim.WaitAsync(TimeSpan.FromSeconds(25), TestJobs.Token);

        Assert.Equal([id], answer.Jobs.Select(j => j.GetProperty("id").GetString()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"The claim took {watch.Elapsed}; it should have been woken by the submit.");
    }

    private static async Task<WebApplication> StartAsync(string connectionString)
    {
        var app = JobServerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["JobServer:Store"] = "PostgreSql";
            builder.Configuration["JobServer:PostgreSqlConnectionString"] = connectionString;
            builder.Configuration["JobServer:RateLimits:Enabled"] = "false";
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync(TestJobs.Token);
        return app;
    }
}
