using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Tests.Infrastructure;

/// <summary>Small steps the tests repeat: register a bot, submit and claim jobs, post raw JSON.</summary>
internal static class TestJobs
{
    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>An op name no other test uses, so tests sharing a server never claim each other's jobs.</summary>
    public static string NewOp(string name) => $"{name}-{Guid.NewGuid():N}";

    public static RegisterBotRequest Registration(IReadOnlyList<string> capabilities, string? botKey = null, string? instanceId = null, JsonElement? constraints = null) =>
        new(
            botKey ?? "key-" + Guid.NewGuid().ToString("N"),
            instanceId ?? Guid.NewGuid().ToString(),
            "1.2.3",
            capabilities,
            new BotResources(4, 1024),
            constraints);

    public static Task<RegisterBotResponse> RegisterAsync(this JobApiClient client, params string[] capabilities) =>
        client.RegisterAsync(Registration(capabilities), Token);

    public static JsonElement Payload(int n) => JsonSerializer.SerializeToElement(new { n });

    public static async Task<string> SubmitOneAsync(this JobApiClient client, string op, int n = 0, string? priority = null, int? maxAttempts = null) =>
        (await client.SubmitAsync(new SubmitJobRequest(op, Payload(n), priority, maxAttempts), Token)).Single();

    public static async Task<IReadOnlyList<ClaimedJob>> ClaimJobsAsync(this JobApiClient client, RegisterBotResponse bot, int limit, params string[] operations)
    {
        var response = await client.ClaimAsync(new ClaimRequest(bot.BotId, operations, limit), bot.Auth.AccessToken, Token);
        return response.Jobs.Select(j => ClaimedJobParser.Parse(j).Job ?? throw new InvalidOperationException("malformed job")).ToList();
    }

    public static Task<ReportDelivery> CompleteAsync(this JobApiClient client, RegisterBotResponse bot, string jobId, string instanceId, int sum = 1) =>
        client.CompleteAsync(jobId, new CompleteRequest(instanceId, JsonSerializer.SerializeToElement(new { sum })), bot.Auth.AccessToken, Token);

    public static Task<ReportDelivery> FailAsync(this JobApiClient client, RegisterBotResponse bot, string jobId, string instanceId, string error = "boom") =>
        client.FailAsync(jobId, new FailRequest(instanceId, error), bot.Auth.AccessToken, Token);

    /// <summary>A bot registered for an operation of its own (named after <paramref name="name"/>), so tests sharing a server keep apart.</summary>
    public static async Task<(string Op, RegisterBotResponse Bot, string InstanceId)> BotOfOwnOpAsync(this JobApiClient client, string name)
    {
        var op = NewOp(name);
        var registration = Registration([op]);
        return (op, await client.RegisterAsync(registration, Token), registration.InstanceId);
    }

    /// <summary>A bot of an operation of its own (named after <paramref name="name"/>) holding one job of it, claimed.</summary>
    public static async Task<(RegisterBotResponse Bot, string InstanceId, string JobId)> ClaimOneAsync(this JobApiClient client, string name)
    {
        var (op, bot, instanceId) = await client.BotOfOwnOpAsync(name);
        var jobId = await client.SubmitOneAsync(op);
        Assert.Equal([jobId], (await client.ClaimJobsAsync(bot, 1, op)).Select(j => j.Id));
        return (bot, instanceId, jobId);
    }

    /// <summary>A job of <paramref name="op"/> with one attempt, claimed by <paramref name="bot"/> and failed: dead.</summary>
    public static async Task<string> DeadJobAsync(this JobApiClient client, string op, RegisterBotResponse bot, string instanceId)
    {
        var id = await client.SubmitOneAsync(op, maxAttempts: 1);
        Assert.Equal(id, Assert.Single(await client.ClaimJobsAsync(bot, 10, op)).Id);
        Assert.Equal(ReportDelivery.Accepted, await client.FailAsync(bot, id, instanceId));
        return id;
    }

    /// <param name="accessToken">Sent as "Authorization: Bearer …" when given.</param>
    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient http, HttpMethod method, string path, string json, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await http.SendAsync(request, Token);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, string json, string? accessToken = null) =>
        http.SendJsonAsync(HttpMethod.Post, path, json, accessToken);

    /// <summary>The problem+json "errors" object of a 400, as field → messages.</summary>
    public static async Task<Dictionary<string, string[]>> ReadErrorsAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return document.RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    /// <summary>Stats as JSON text, comparable with string equality.</summary>
    public static async Task<string> StatsJsonAsync(this HttpClient http) => await http.GetStringAsync("v1/stats", Token);
}
