using System.Net;
using System.Text.Json;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Responses;

/// <summary>
/// docs/job-api.md as a deployed bot reads it: requests are the spec's JSON as raw text, and every answer's
/// field names must be the spec example's, byte for byte — compared as sorted sets of property paths
/// ("jobs[].metadata.priority"). The only differences allowed are listed here by name.
/// </summary>
public sealed class WireTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    // Response examples, copied from the spec.
    private const string SpecRegisterResponse = """
        {
          "bot_id": "bot_abc123",
          "auth": {"access_token": "…", "refresh_token": "…", "expires_in": 3600},
          "assignment": {"operations": ["sum", "subtract"], "max_concurrency": 5, "paused": false},
          "config": {"heartbeat_interval": 30, "claim_batch_size": 10, "job_lease_ttl": 300},
          "endpoints": {"heartbeat": "/v1/bots/{bot_id}/heartbeat", "claim": "/v1/jobs/claim",
                        "report": "/v1/jobs/{job_id}/{action}"}
        }
        """;

    private const string SpecClaimResponse = """
        {"jobs": [{"id": "job_550e8400", "op": "sum", "payload": {"a": 42, "b": 58},
                   "lease_until": "2025-01-19T10:15:00Z", "attempt": 1,
                   "metadata": {"priority": "normal", "source": "api", "created_at": "…",
                                "previous_attempts": [{"attempt": 1, "bot_id": "…", "failed_at": "…", "error": "timeout"}]}}],
         "cursor": "…"}
        """;

    private const string SpecReportResponse = """{"status": "accepted"}""";

    // The heartbeat answer is given in prose: {"lease_extended_to": "<ISO-8601>"}, plus assignment when changed,
    // plus "may list the new lease_until per job".
    private const string SpecHeartbeatResponse = """{"lease_extended_to": "<ISO-8601>"}""";

    [Fact]
    public async Task SpecExamples_RegisterHeartbeatClaimCompleteFail_AnswerWithTheSpecsFieldNames()
    {
        var op = "wire-" + Guid.NewGuid().ToString("N")[..8];
        var instanceId = Guid.NewGuid().ToString();
        var jobs = await server.Client.SubmitBatchAsync(
        [
            new(op, JsonSerializer.SerializeToElement(new { a = 42, b = 58 })),
            new(op, JsonSerializer.SerializeToElement(new { a = 42, b = 58 })),
        ], TestJobs.Token);

        // Register: the request table of the spec, every field given.
        using var register = await server.Http.PostJsonAsync("v1/bots/register", $$$"""
            {"bot_key": "fp-{{{op}}}", "instance_id": "{{{instanceId}}}", "version": "1.4.0",
             "capabilities": ["{{{op}}}"], "resources": {"cpu_cores": 4, "mem_mb": 2048},
             "constraints": {}, "meta": {"hostname": "bot-host", "os": "linux", "region": "eu"}}
            """);
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        using var registered = JsonDocument.Parse(await register.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal(Paths(SpecRegisterResponse).Concat(AddedToRegistration).Order(StringComparer.Ordinal), Paths(registered.RootElement));
        Assert.Equal(30_000, registered.RootElement.GetProperty("config").GetProperty("max_claim_wait_ms").GetInt32());
        Assert.Equal(1_048_576, registered.RootElement.GetProperty("config").GetProperty("max_result_bytes").GetInt32());
        var botId = registered.RootElement.GetProperty("bot_id").GetString()!;
        var token = registered.RootElement.GetProperty("auth").GetProperty("access_token").GetString()!;

        // Claim, fail (so the next claim has a previous attempt), claim again.
        using var firstClaim = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id": "{{botId}}", "operations": ["{{op}}"], "limit": 10}""", token);
        Assert.Equal(HttpStatusCode.OK, firstClaim.StatusCode);
        using var fail = await server.Http.PostJsonAsync($"v1/jobs/{jobs[0]}/fail", $$"""{"instance_id": "{{instanceId}}", "error": "timeout", "retry_after_ms": 0}""", token);
        Assert.Equal(HttpStatusCode.OK, fail.StatusCode);
        Assert.Equal(Paths(SpecReportResponse), Paths(await ReadAsync(fail)));
        using var claim = await server.Http.PostJsonAsync("v1/jobs/claim", $$"""{"bot_id": "{{botId}}", "operations": ["{{op}}"], "limit": 10}""", token);
        using var claimed = JsonDocument.Parse(await claim.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal(
            Except(Paths(SpecClaimResponse), OmittedByUs).Concat(AddedByUs).Order(StringComparer.Ordinal),
            Paths(claimed.RootElement));

        // Heartbeat with the running list and metrics of the spec.
        using var heartbeat = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{botId}/heartbeat", $$$"""
            {"instance_id": "{{{instanceId}}}",
             "running": [{"job_id": "{{{jobs[1]}}}", "op": "{{{op}}}", "elapsed_ms": 1200, "lease_until": "2025-01-19T10:15:00Z"}],
             "metrics": {"cpu": 0.25, "mem_mb": 512}}
            """, token);
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(
            Paths(SpecHeartbeatResponse).Concat(["leases[].job_id", "leases[].lease_until"]).Order(StringComparer.Ordinal),
            Paths(await ReadAsync(heartbeat)));

        // Complete, and complete again: harmless, same answer.
        var complete = $$$"""{"instance_id": "{{{instanceId}}}", "result": {"sum": 100}}""";
        using var completed = await server.Http.PostJsonAsync($"v1/jobs/{jobs[1]}/complete", complete, token);
        using var repeated = await server.Http.PostJsonAsync($"v1/jobs/{jobs[1]}/complete", complete, token);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (completed.StatusCode, repeated.StatusCode));
        Assert.Equal("""{"status":"accepted"}""", await completed.Content.ReadAsStringAsync(TestJobs.Token));
        Assert.Equal("""{"status":"accepted"}""", await repeated.Content.ReadAsStringAsync(TestJobs.Token));
    }

    [Fact]
    public async Task Heartbeat_AfterAssignmentChange_CarriesTheSpecsAssignmentFields()
    {
        var bot = await server.Client.RegisterAsync("sum");
        using var put = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/assignment", """{"paused": true}""");

        using var heartbeat = await server.Http.SendJsonAsync(HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", """{"instance_id": "i"}""", bot.Auth.AccessToken);

        Assert.Equal(
            ["assignment.max_concurrency", "assignment.operations[]", "assignment.paused", "lease_extended_to", "leases[]"],
            Paths(await ReadAsync(heartbeat)));
    }

    /// <summary>Claim answers leave out "cursor": claims are not paged and no request field takes it back.</summary>
    private static readonly string[] OmittedByUs = ["cursor"];

    /// <summary>Additions: the longest wait_ms of a long-poll claim this server honours, and the largest result it takes.</summary>
    private static readonly string[] AddedToRegistration = ["config.max_claim_wait_ms", "config.max_result_bytes"];

    /// <summary>An addition: how an earlier attempt ended (failed or lost).</summary>
    private static readonly string[] AddedByUs = ["jobs[].metadata.previous_attempts[].outcome"];

    private static IEnumerable<string> Except(IEnumerable<string> paths, string[] omitted) => paths.Where(p => !omitted.Contains(p));

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestJobs.Token));
        return document.RootElement.Clone();
    }

    private static List<string> Paths(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Paths(document.RootElement);
    }

    /// <summary>Every property path of a JSON value, arrays as "[]", sorted ordinally and without duplicates.</summary>
    private static List<string> Paths(JsonElement root)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(root, string.Empty, paths);
        return [.. paths];
    }

    private static void Walk(JsonElement element, string path, SortedSet<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, paths);
                }

                break;
            case JsonValueKind.Array:
                var any = false;
                foreach (var item in element.EnumerateArray())
                {
                    any = true;
                    Walk(item, path + "[]", paths);
                }

                if (!any)
                {
                    paths.Add(path + "[]");
                }

                break;
            default:
                paths.Add(path);
                break;
        }
    }
}
