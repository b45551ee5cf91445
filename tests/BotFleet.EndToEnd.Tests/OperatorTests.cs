using System.Text.Json;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// What an operator sees and steers, on the embedded silo as a user starts it (a real process, its own job server on
/// SQLite, real HTTP): a running job cancelled on its real bot, the bot's health, and one trace from submit to report.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class OperatorTests
{
    /// <summary>The one bot of these tests.</summary>
    private static readonly string[] Sleeper = ["--BotFleet:Bots:sleeper:Operations:0=sleep", "--BotFleet:Bots:sleeper:Operations:1=sum"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CancelOfARunningJob_StopsItsHandlerOnTheBot_AndTheJobEndsCancelled_NeverRetried()
    {
        await using var fleet = await EmbeddedSilo.StartAsync([.. Sleeper, "--JobServer:HeartbeatInterval=00:00:01"]);
        var id = (await fleet.Producer.SubmitAsync(new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 600_000 }), MaxAttempts: 5), Ct)).Single();
        await Eventually.ValueAsync(() => fleet.Producer.GetJobAsync(id, Ct), job => job!.Status == JobStatuses.Leased, $"the job running\n{fleet.Silo.Output}", TimeSpan.FromSeconds(30));

        var asked = await fleet.Client.CancelJobAsync(id, Ct);

        Assert.Equal(JobStatuses.Leased, asked!.Status);
        Assert.NotNull(asked.CancelRequestedAt);
        // A heartbeat a second: the bot hears it, stops the 10-minute sleep and reports; the server ends the job.
        var job = await Eventually.ValueAsync(() => fleet.Producer.GetJobAsync(id, Ct), j => j!.Status == JobStatuses.Cancelled, $"the job cancelled\n{fleet.Silo.Output}", TimeSpan.FromSeconds(20));
        const string error = "cancelled: op=sleep was stopped because an operator cancelled the job";
        Assert.Equal((error, 1), (job!.Error, job.Attempt));
        Assert.Equal([("cancelled", error)], job.Attempts.Select(a => (a.Outcome, a.Error)));
        // The bot is free again and healthy: its next heartbeat says so.
        var bot = await Eventually.ValueAsync(
            async () => (await fleet.Client.ListBotsAsync(Ct)).Bots.Single(),
            b => b.LeasedJobs == 0 && b.Health == new BotHealth(0),
            $"the bot's health\n{fleet.Silo.Output}",
            TimeSpan.FromSeconds(10));
        Assert.Equal("sleeper", bot.BotKey);
    }

    [Fact]
    public async Task TracedSubmit_TheServerAndTheBotExportOneTrace_SubmitJobHandleAndReport()
    {
        await using var fleet = await EmbeddedSilo.StartAsync([.. Sleeper, "--BotFleet:Telemetry:Exporters=Console"]);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var submit = new HttpRequestMessage(HttpMethod.Post, "v1/jobs")
        {
            Content = new StringContent("""{"op":"sum","payload":{"a":2,"b":3}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        submit.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var submitted = await fleet.Http.SendAsync(submit, Ct);
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("ids")[0].GetString()!;
        await Eventually.ValueAsync(() => fleet.Producer.GetJobAsync(id, Ct), j => j!.Status == JobStatuses.Completed, $"the job completed\n{fleet.Silo.Output}", TimeSpan.FromSeconds(30));

        // The console exporter prints each span as it ends; the job's span ends once its report was settled.
        var spans = await Eventually.ValueAsync(
            () => Task.FromResult(ConsoleSpans.In(fleet.Silo.Output).Where(s => s.TraceId == traceId).ToList()),
            found => found.Any(s => s.Name == "job sum"),
            $"the bot's spans of trace {traceId}\n{fleet.Silo.Output}",
            TimeSpan.FromSeconds(20));

        var server = Assert.Single(spans, s => s.Name == "POST /v1/jobs/");
        var job = Assert.Single(spans, s => s.Name == "job sum");
        Assert.Equal(server.SpanId, job.ParentSpanId);
        Assert.Equal(job.SpanId, Assert.Single(spans, s => s.Name == "handle sum").ParentSpanId);
        Assert.Equal(job.SpanId, Assert.Single(spans, s => s.Name == "report sum").ParentSpanId);
    }

    /// <summary>Spans as OpenTelemetry's console exporter prints them: a block of "Activity.Name: value" lines each.</summary>
    private sealed record ConsoleSpans(string TraceId, string SpanId, string? ParentSpanId, string Name)
    {
        public static IEnumerable<ConsoleSpans> In(string output) =>
            output.Split("Activity.TraceId:").Skip(1).Select(block => new ConsoleSpans(
                block.Split('\n', 2)[0].Trim(),
                Value(block, "Activity.SpanId") ?? string.Empty,
                Value(block, "Activity.ParentSpanId"),
                Value(block, "Activity.DisplayName") ?? string.Empty));

        private static string? Value(string block, string name) =>
            block.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? line[(name.Length + 1)..].Trim()
                : null;
    }
}
