using System.Net;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

/// <summary>Every bad request is a 400/413 problem naming the field, and changes nothing.</summary>
public sealed class ValidationTests(SmallLimitsJobServerFixture server) : IClassFixture<SmallLimitsJobServerFixture>
{
    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "v1/jobs", """{"payload":{}}""", "op" },
        { "v1/jobs", """{"op":"sum"}""", "payload" },
        { "v1/jobs", """{"op":"sum","payload":[1,2]}""", "payload" },
        { "v1/jobs", """{"op":"sum","payload":"{}"}""", "payload" },
        { "v1/jobs", """{"op":42,"payload":{}}""", "op" },
        { "v1/jobs", """{"op":"  ","payload":{}}""", "op" },
        { "v1/jobs", """{"op":"sum","payload":{},"priority":"urgent"}""", "priority" },
        { "v1/jobs", """{"op":"sum","payload":{},"max_attempts":0}""", "max_attempts" },
        { "v1/jobs", """{"op":"sum","payload":{},"max_attempts":101}""", "max_attempts" },
        { "v1/jobs", """{"op":"sum","payload":{},"max_attempts":"5"}""", "max_attempts" },
        { "v1/jobs", """{"op":"sum","payload":{},"run_after":"tomorrow"}""", "run_after" },
        { "v1/jobs", """{"jobs":[{"op":"sum","payload":{}},{"op":"sum","payload":{}},{"op":"sum","payload":{}},{"payload":{}}]}""", "jobs[3].op" },
        { "v1/jobs", """{"jobs":[{"op":"sum","payload":5}]}""", "jobs[0].payload" },
        { "v1/jobs", """{"jobs":[]}""", "jobs" },
        { "v1/jobs", """{"jobs":{}}""", "jobs" },
        { "v1/jobs", """[{"op":"sum","payload":{}}]""", "body" },
        { "v1/jobs", """{"op":"sum","payload":{}""", "body" },
        { "v1/jobs", "", "body" },
        { "v1/jobs", """{"op":"sum","payload":{"a":"\ud800"}}""", "payload.a" },
        { "v1/jobs", """{"op":"sum","payload":{},"max_attempts":1e400}""", "max_attempts" },
        { "v1/jobs/claim", """{"bot_id":"bot_x","operations":["sum"],"limit":0}""", "limit" },
        { "v1/jobs/claim", """{"bot_id":"bot_x","operations":["sum"],"limit":101}""", "limit" },
        { "v1/jobs/claim", """{"bot_id":"bot_x","operations":["sum"],"limit":2.5}""", "limit" },
        { "v1/jobs/claim", """{"bot_id":"bot_x","operations":[],"limit":1}""", "operations" },
        { "v1/jobs/claim", """{"bot_id":"bot_x","operations":"sum","limit":1}""", "operations" },
        { "v1/jobs/claim", """{"bot_id":"bot_x","operations":["sum",7],"limit":1}""", "operations[1]" },
        { "v1/jobs/claim", """{"operations":["sum"],"limit":1}""", "bot_id" },
        { "v1/bots/register", """{"instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":["sum"]}""", "bot_key" },
        { "v1/bots/register", """{"bot_key":"k","instance_id":"not-a-uuid","version":"1.0.0","capabilities":["sum"]}""", "instance_id" },
        { "v1/bots/register", """{"bot_key":"k","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0","capabilities":["sum"]}""", "version" },
        { "v1/bots/register", """{"bot_key":"k","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":[]}""", "capabilities" },
        { "v1/bots/register", """{"bot_key":"k","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":["sum"],"resources":{"cpu_cores":0,"mem_mb":512}}""", "resources.cpu_cores" },
        { "v1/bots/register", """{"bot_key":"k","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":["sum"],"resources":{"cpu_cores":1,"mem_mb":64}}""", "resources.mem_mb" },
        { "v1/bots/register", """{"bot_key":"k","instance_id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","version":"1.0.0","capabilities":["sum"],"constraints":{"max_concurrency":"many"}}""", "constraints.max_concurrency" },
        { "v1/jobs/job_x/complete", """{"result":{}}""", "instance_id" },
        { "v1/jobs/job_x/fail", """{"instance_id":"i"}""", "error" },
        { "v1/jobs/job_x/fail", """{"instance_id":"i","error":"e","retry_after_ms":-1}""", "retry_after_ms" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Post_BadField_Answers400NamingFieldAndChangesNothing(string path, string body, string field)
    {
        // Bot endpoints check the token before the body; a valid token lets the body's problems show.
        var bot = await server.Client.RegisterAsync("sum");
        var before = await server.Http.StatsJsonAsync();

        using var response = await server.Http.PostJsonAsync(path, body, bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await response.ReadErrorsAsync()).Keys);
        Assert.Equal(before, await server.Http.StatsJsonAsync());
    }

    [Fact]
    public async Task Heartbeat_RunningOfWrongType_Answers400NamingField()
    {
        var bot = await server.Client.RegisterAsync("sum");

        using var response = await server.Http.SendJsonAsync(
            HttpMethod.Put, $"v1/bots/{bot.BotId}/heartbeat", """{"instance_id":"i","running":[{"job_id":3}],"metrics":{"cpu":2}}""", bot.Auth.AccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["metrics.cpu", "running[0].job_id"], (await response.ReadErrorsAsync()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Submit_PayloadLargerThanLimit_Answers413AndChangesNothing()
    {
        var before = await server.Http.StatsJsonAsync();
        var payload = JsonSerializer.Serialize(new { data = new string('x', SmallLimitsJobServerFixture.MaxPayloadBytes) });

        using var response = await server.Http.PostJsonAsync("v1/jobs", $$"""{"op":"sum","payload":{{payload}}}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await server.Http.StatsJsonAsync());
    }

    [Fact]
    public async Task Submit_BodyLargerThanRequestLimit_Answers413()
    {
        var jobs = string.Join(',', Enumerable.Repeat("""{"op":"sum","payload":{"pad":"0123456789012345678901234567890123456789"}}""", 400));

        using var response = await server.Http.PostJsonAsync("v1/jobs", $$"""{"jobs":[{{jobs}}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Submit_ChunkedBodyLargerThanRequestLimit_Answers413()
    {
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"op\":\"sum\",\"payload\":{\"p\":\"" + new string('x', SmallLimitsJobServerFixture.MaxRequestBytes) + "\"}}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Http.SendAsync(request, TestJobs.Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Submit_InvalidUtf8InAString_Answers400NamingTheField()
    {
        byte[] body = [.. "{\"op\":\"sum\",\"payload\":{\"a\":\"x"u8, 0xC3, 0x28, .. "\"}}"u8];
        var before = await server.Http.StatsJsonAsync();
        using var content = new ByteArrayContent(body);

        using var response = await server.Http.PostAsync("v1/jobs", content, TestJobs.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["payload.a"], (await response.ReadErrorsAsync()).Keys);
        Assert.Equal(before, await server.Http.StatsJsonAsync());
    }

    [Theory]
    [InlineData("""{"op":"sum","payload":{"smile":"\ud83d\ude00"}}""", "\U0001F600")]
    [InlineData("""{"op":"sum","payload":{"text":"\\ud800"}}""", @"\ud800")]
    [InlineData("""{"op":"sum","payload":{"text":"caf\u00e9 \u00DF"}}""", "café ß")]
    public async Task Submit_EscapedTextThatIsValid_IsStoredAsSent(string json, string expected)
    {
        using var response = await server.Http.PostJsonAsync("v1/jobs", json);
        var ids = JsonSerializer.Deserialize<SubmitJobsResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!.Ids;

        var job = await server.Client.GetJobAsync(ids.Single(), TestJobs.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(expected, job!.Payload.EnumerateObject().Single().Value.GetString());
    }

    [Fact]
    public async Task Submit_ChunkedBodyOfManyReads_IsReadWhole()
    {
        var jobs = string.Join(',', Enumerable.Range(0, 60).Select(i => $$$"""{"op":"sum","payload":{"i":{{{i}}},"pad":"{{{new string('p', 40)}}}"}}"""));
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"jobs":[{{jobs}}]}""")), bufferSize: 512);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Http.SendAsync(request, TestJobs.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(60, JsonSerializer.Deserialize<SubmitJobsResponse>(await response.Content.ReadAsStringAsync(TestJobs.Token), JobApiJson.Options)!.Ids.Count);
    }

    [Fact]
    public async Task Post_WithoutContentType_IsStillRead()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"op":"sum","payload":{}}"""));

        using var response = await server.Http.PostAsync("v1/jobs", content, TestJobs.Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_IsServedWithSnakeCaseSchemas()
    {
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("openapi/jobapi.json", TestJobs.Token));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/jobs/claim", paths);
        Assert.Contains("/v1/bots/{bot_id}/heartbeat", paths);
        Assert.Contains("/v1/bots/heartbeats", paths);
        Assert.True(document.RootElement.GetProperty("paths").GetProperty("/v1/bots/heartbeats").TryGetProperty("post", out _));
        var register = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("RegisterBotResponse");
        Assert.True(register.GetProperty("properties").TryGetProperty("bot_id", out _));
        // The access filters document the refusals they answer; the endpoints add their own.
        Assert.Equal(["200", "400", "401", "403", "404", "409"], Responses("/v1/jobs/{job_id}/requeue", "post"));
        Assert.Equal(["200", "400", "401", "403"], Responses("/v1/jobs/discard", "post"));
        Assert.Equal(["200", "401", "403"], Responses("/v1/bots", "get"));
        Assert.Equal(["200", "400", "401", "403", "404"], Responses("/v1/jobs/claim", "post"));
        Assert.Equal(["200", "201", "400", "401", "413"], Responses("/v1/bots/register", "post"));

        List<string> Responses(string path, string method) =>
            [.. document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("status=running", "status")]
    [InlineData("cursor=abc", "cursor")]
    public async Task ListJobs_BadQuery_Answers400NamingParameter(string query, string field)
    {
        using var response = await server.Http.GetAsync("v1/jobs?" + query, TestJobs.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.ReadErrorsAsync()).Keys);
    }
}
