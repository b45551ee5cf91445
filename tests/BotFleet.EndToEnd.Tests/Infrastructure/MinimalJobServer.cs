using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Another team's job server, as small as job API v1 allows, written here and not from our server's code: the five
/// bot endpoints only (no POST /v1/jobs/reports, no long poll), registration answers with the required fields only
/// (bot_id, auth.access_token, assignment.operations and max_concurrency), heartbeats without per-job leases.
/// </summary>
public sealed class MinimalJobServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Id, string Op, JsonObject Payload)> _queue = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, int> _unknownPaths = new();
    private int _claims;

    private MinimalJobServer(WebApplication app)
    {
        _app = app;
    }

    public Uri Address => new(_app.Urls.Single());

    /// <summary>Claim requests answered so far.</summary>
    public int Claims => Volatile.Read(ref _claims);

    /// <summary>Every report received, in order: job id, action, and the result or error as JSON text.</summary>
    public ConcurrentQueue<(string JobId, string Action, string Body)> Reports { get; } = new();

    /// <summary>Requests to paths this server does not have, by "METHOD path".</summary>
    public IReadOnlyDictionary<string, int> UnknownPaths => _unknownPaths;

    public static async Task<MinimalJobServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new MinimalJobServer(app);
        server.Map(app);
        await app.StartAsync();
        return server;
    }

    public void Enqueue(string id, string op, object payload) =>
        _queue.Enqueue((id, op, JsonSerializer.SerializeToNode(payload)!.AsObject()));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/v1/bots/register", async (HttpContext context) =>
        {
            var body = await ReadAsync(context);
            var botId = "b-" + (string)body["bot_key"]!;
            var token = Guid.NewGuid().ToString("N");
            _tokens[token] = botId;
            return Results.Json(new JsonObject
            {
                ["bot_id"] = botId,
                ["auth"] = new JsonObject { ["access_token"] = token },
                ["assignment"] = new JsonObject { ["operations"] = body["capabilities"]!.DeepClone(), ["max_concurrency"] = 4 },
            }, statusCode: 201);
        });
        app.MapPut("/v1/bots/{botId}/heartbeat", (HttpContext context, string botId) =>
            Authorized(context) != botId
                ? Results.StatusCode(401)
                : Results.Json(new JsonObject { ["lease_extended_to"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture) }));
        app.MapPost("/v1/jobs/claim", async (HttpContext context) =>
        {
            if (Authorized(context) is null)
            {
                return Results.StatusCode(401);
            }

            Interlocked.Increment(ref _claims);
            var body = await ReadAsync(context);
            var operations = body["operations"]!.AsArray().Select(o => (string)o!).ToHashSet();
            var limit = (int)body["limit"]!;
            var jobs = new JsonArray();
            var skipped = new List<(string, string, JsonObject)>();
            while (jobs.Count < limit && _queue.TryDequeue(out var job))
            {
                if (!operations.Contains(job.Op))
                {
                    skipped.Add(job);
                    continue;
                }

                jobs.Add(new JsonObject
                {
                    ["id"] = job.Id,
                    ["op"] = job.Op,
                    ["payload"] = job.Payload.DeepClone(),
                    ["lease_until"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture),
                    ["attempt"] = 1,
                });
            }

            skipped.ForEach(_queue.Enqueue);
            return Results.Json(new JsonObject { ["jobs"] = jobs });
        });
        app.MapPost("/v1/jobs/{jobId}/{action}", async (HttpContext context, string jobId, string action) =>
        {
            if (Authorized(context) is null)
            {
                return Results.StatusCode(401);
            }

            if (action is not ("complete" or "fail"))
            {
                return Results.NotFound();
            }

            var body = await ReadAsync(context);
            Reports.Enqueue((jobId, action, (action == "complete" ? body["result"] : body["error"])?.ToJsonString() ?? "null"));
            return Results.Json(new JsonObject { ["status"] = "accepted" });
        });
        app.MapFallback((HttpContext context) =>
        {
            _unknownPaths.AddOrUpdate($"{context.Request.Method} {context.Request.Path}", 1, (_, n) => n + 1);
            return Results.NotFound();
        });
    }

    private string? Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { Length: > 7 } header && _tokens.TryGetValue(header["Bearer ".Length..], out var botId)
            ? botId
            : null;

    private static async Task<JsonObject> ReadAsync(HttpContext context) =>
        (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
}
