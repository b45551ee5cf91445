using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.RateLimiting;

/// <summary>
/// Three requests per bot, then nothing: the refill period (an hour) is far longer than the tests, so
/// no token comes back while they run and no clock needs moving.
/// </summary>
public sealed class PerBotRateLimitFixture : JobServerFixture
{
    public const int Burst = 3;

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("RateLimits:PerBotPerSecond", "1"),
        ("RateLimits:PerBotBurst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RateLimits:ReplenishmentPeriod", "01:00:00"),
    ];
}

/// <summary>A server-wide budget of a few requests, then nothing (see <see cref="PerBotRateLimitFixture"/>).</summary>
public sealed class GlobalRateLimitFixture : JobServerFixture
{
    public const int Burst = 4;

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("RateLimits:GlobalPerSecond", "1"),
        ("RateLimits:GlobalBurst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        // The period's earlier spelling, in seconds: still read.
        ("RateLimits:ReplenishmentPeriodSeconds", "3600"),
    ];
}

public sealed class PerBotRateLimitTests(PerBotRateLimitFixture server) : IClassFixture<PerBotRateLimitFixture>
{
    [Fact]
    public async Task BotOverItsClaimRate_Gets429WithRetryAfterWhileOtherBotsAndProducersGoOn()
    {
        var busy = await server.Client.RegisterAsync("sum");
        var quiet = await server.Client.RegisterAsync("sum");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= PerBotRateLimitFixture.Burst; i++)
        {
            using var claim = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{busy.BotId}}","operations":["sum"],"limit":1}""", busy.Auth.AccessToken);
            statuses.Add(claim.StatusCode);
        }

        using var refused = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{busy.BotId}}","operations":["sum"],"limit":1}""", busy.Auth.AccessToken);
        using var other = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{quiet.BotId}}","operations":["sum"],"limit":1}""", quiet.Auth.AccessToken);
        using var stats = await server.Http.GetAsync("v1/stats", TestJobs.Token);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":429", await refused.Content.ReadAsStringAsync(TestJobs.Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    [Fact]
    public async Task BotOverItsClaimRate_ReportsAndHeartbeatsAreNeverAnswered429()
    {
        var op = TestJobs.NewOp("free");
        var registration = TestJobs.Registration([op]);
        var bot = await server.Client.RegisterAsync(registration, TestJobs.Token);
        var instance = registration.InstanceId;
        for (var i = 0; i < 3; i++)
        {
            await server.Client.SubmitOneAsync(op, i);
        }

        // The whole budget goes on claims: one that leases all three jobs, then two empty ones, then refused.
        var claims = new List<HttpStatusCode>();
        List<string> jobIds = [];
        for (var i = 0; i <= PerBotRateLimitFixture.Burst; i++)
        {
            using var claim = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["{{op}}"],"limit":3}""", bot.Auth.AccessToken);
            claims.Add(claim.StatusCode);
            if (i == 0)
            {
                using var document = System.Text.Json.JsonDocument.Parse(await claim.Content.ReadAsStringAsync(TestJobs.Token));
                jobIds = document.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToList();
            }
        }

        // Far more reports and heartbeats than the bucket holds, each of every kind.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 10 * PerBotRateLimitFixture.Burst; i++)
        {
            using var beat = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", $$"""{"instance_id":"{{instance}}","running":[]}""", bot.Auth.AccessToken);
            using var complete = await server.Http.PostJsonAsync($"v1/jobs/{jobIds[0]}/complete", $$$"""{"instance_id":"{{{instance}}}","result":{"sum":1}}""", bot.Auth.AccessToken);
            using var fail = await server.Http.PostJsonAsync($"v1/jobs/{jobIds[1]}/fail", $$"""{"instance_id":"{{instance}}","error":"boom","retry_after_ms":3600000}""", bot.Auth.AccessToken);
            using var batch = await server.Http.PostJsonAsync("v1/jobs/reports", $$$"""{"reports":[{"job_id":"{{{jobIds[2]}}}","action":"complete","instance_id":"{{{instance}}}","result":{"sum":2}}]}""", bot.Auth.AccessToken);
            using var beats = await server.Http.PostJsonAsync(
                "v1/bots/heartbeats",
                $$"""{"heartbeats":[{"bot_id":"{{bot.BotId}}","access_token":"{{bot.Auth.AccessToken}}","instance_id":"{{instance}}"}]}""",
                bot.Auth.AccessToken);
            answers.AddRange([beat.StatusCode, complete.StatusCode, fail.StatusCode, batch.StatusCode, beats.StatusCode]);
        }

        using var stillRefused = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id":"{{bot.BotId}}","operations":["{{op}}"],"limit":1}""", bot.Auth.AccessToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], claims);
        Assert.Equal(3, jobIds.Count);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, answers.Count), answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillRefused.StatusCode);
        Assert.Equal(
            [JobStatuses.Completed, JobStatuses.Pending, JobStatuses.Completed],
            await Task.WhenAll(jobIds.Select(async id => (await server.Store.GetJobAsync(id, TestJobs.Token))!.Status)));
    }

    [Fact]
    public async Task Client_Answer429_ThrowsTransientWithTheServersRetryAfter()
    {
        var bot = await server.Client.RegisterAsync("sum");
        for (var i = 0; i < PerBotRateLimitFixture.Burst; i++)
        {
            await server.Client.ClaimAsync(new ClaimRequest(bot.BotId, ["sum"], 1), bot.Auth.AccessToken, TestJobs.Token);
        }

        var error = await Assert.ThrowsAsync<JobApiException>(() =>
            server.Client.ClaimAsync(new ClaimRequest(bot.BotId, ["sum"], 1), bot.Auth.AccessToken, TestJobs.Token));

        Assert.Equal((HttpStatusCode.TooManyRequests, true, TimeSpan.FromHours(1)), (error.StatusCode!.Value, error.IsTransient, error.RetryAfter!.Value));
    }
}

public sealed class GlobalRateLimitTests(GlobalRateLimitFixture server) : IClassFixture<GlobalRateLimitFixture>
{
    [Fact]
    public async Task ServerOverItsRate_RefusesRegistrationsAndClaimsButNotProducersOrHealth()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= GlobalRateLimitFixture.Burst; i++)
        {
            using var response = await server.Http.PostJsonAsync("v1/bots/register", $$"""{"bot_key":"k{{i}}","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":["sum"]}""");
            statuses.Add(response.StatusCode);
        }

        using var register = await server.Http.PostJsonAsync("v1/bots/register", """{"bot_key":"k","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":["sum"]}""");
        using var claim = await server.Http.PostJsonAsync("v1/jobs/claim", """{"bot_id":"b","operations":["sum"],"limit":1}""", "b.secret");
        using var stats = await server.Http.GetAsync("v1/stats", TestJobs.Token);
        using var live = await server.Http.GetAsync("health/live", TestJobs.Token);
        using var ready = await server.Http.GetAsync("health/ready", TestJobs.Token);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        Assert.Equal("3600", register.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, claim.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (stats.StatusCode, live.StatusCode, ready.StatusCode));
    }
}
