using System.Net;
using System.Text.Json;
using BotFleet.Cli.Connections;
using BotFleet.Client.Tests.Fakes;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Client.Tests.Cli;

/// <summary><c>jobs submit|list|get</c>: summaries instead of thousands of ids, paging, unknown jobs.</summary>
public sealed class JobsCommandTests
{
    private readonly CliHarness _cli = new();

    public JobsCommandTests()
    {
        // Each batch call takes 250 ms of the fake clock, so the summary has a rate to show.
        _cli.Jobs.Client.OnSubmit = () => _cli.Time.Advance(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task JobsSubmit_LargeCount_SplitsIntoBatchesAndPrintsOneSummaryLine()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "echo", "--payload", "{}", "--count", "2500");

        Assert.Equal(0, exit);
        Assert.Equal([1000, 1000, 500], _cli.Jobs.Client.Submissions.Select(batch => batch.Count));
        Assert.Equal("Submitted 2500 echo jobs in 0.75 s, 3333 jobs/s: job_1 … job_2500 (--ids lists them all)\n", _cli.Output);
    }

    [Fact]
    public async Task JobsSubmit_Ids_PrintsOneIdPerLine()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", """{"a":1,"b":2}""", "--count", "3", "--priority", "high", "--ids");

        Assert.Equal(0, exit);
        Assert.Equal("job_1\njob_2\njob_3\n", _cli.Output);
        var job = Assert.Single(_cli.Jobs.Client.Submissions)[0];
        Assert.Equal(("sum", "high"), (job.Op, job.Priority));
        Assert.Equal("""{"a":1,"b":2}""", JsonSerializer.Serialize(job.Payload));
    }

    [Fact]
    public async Task JobsSubmit_Json_IsASummaryWithoutIds()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "{}", "--count", "1500", "--json");

        Assert.Equal(0, exit);
        var summary = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal(1500, summary.GetProperty("count").GetInt32());
        Assert.Equal("sum", summary.GetProperty("op").GetString());
        Assert.Equal("job_1", summary.GetProperty("first_id").GetString());
        Assert.Equal("job_1500", summary.GetProperty("last_id").GetString());
        Assert.Equal(500, summary.GetProperty("elapsed_ms").GetDouble());
        Assert.Equal(3000, summary.GetProperty("jobs_per_second").GetDouble());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("ids").ValueKind);
    }

    [Fact]
    public async Task JobsSubmit_JsonWithIds_ListsThem()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "{}", "--count", "2", "--json", "--ids");

        Assert.Equal(0, exit);
        Assert.Equal(["job_1", "job_2"], JsonDocument.Parse(_cli.Output).RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task JobsSubmit_FailsMidWay_SaysWhichJobsWereAlreadySubmitted()
    {
        _cli.Jobs.Client.SubmitFault = (1, new JobApiException("Job API submit answered 503 Service Unavailable", HttpStatusCode.ServiceUnavailable, isTransient: true));

        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", "{}", "--count", "1500");

        Assert.Equal(1, exit);
        Assert.Equal(
            "error: Job API submit answered 503 Service Unavailable (1000 of 1500 jobs were submitted before this failure: job_1 … job_1000)\n",
            _cli.Error);
    }

    [Fact]
    public async Task JobsList_PassesTheFiltersAndPrintsTheNextCursor()
    {
        _cli.Jobs.Client.Page = new JobListAnswer([Job("job_7", "pending")], "42");

        var exit = await _cli.RunAsync("jobs", "list", "--status", "pending", "--op", "sum", "--limit", "1", "--cursor", "41");

        Assert.Equal(0, exit);
        Assert.Equal(new JobListQuery("pending", "sum", 1, "41"), Assert.Single(_cli.Jobs.Client.ListQueries));
        Assert.Equal(
            """
            ID     OP   STATUS   PRIORITY  ATTEMPT  CREATED               UPDATED
            job_7  sum  pending  normal        0/5  2026-01-02T03:04:05Z  2026-01-02T03:04:06Z
            1 job; next page: --cursor 42

            """,
            _cli.Output);
    }

    [Fact]
    public async Task JobsList_Json_HasTheJobsAndTheCursor()
    {
        _cli.Jobs.Client.Page = new JobListAnswer([Job("job_7", "dead")], null);

        var exit = await _cli.RunAsync("jobs", "list", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(new JobListQuery(null, null, 100, null), Assert.Single(_cli.Jobs.Client.ListQueries));
        var page = JsonDocument.Parse(_cli.Output).RootElement;
        var job = Assert.Single(page.GetProperty("jobs").EnumerateArray());
        Assert.Equal(("job_7", "dead"), (job.GetProperty("id").GetString(), job.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("cursor").ValueKind);
    }

    [Fact]
    public async Task JobsList_UnknownStatus_Exits2()
    {
        var exit = await _cli.RunAsync("jobs", "list", "--status", "finished");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: Argument 'finished' not recognized. Must be one of:", _cli.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Jobs.Servers);
    }

    [Fact]
    public async Task JobsGet_UnknownJob_Exits3()
    {
        var exit = await _cli.RunAsync("jobs", "get", "job_404");

        Assert.Equal(3, exit);
        Assert.Equal("error: job 'job_404' was not found.\n", _cli.Error);
    }

    [Fact]
    public async Task JobsGet_Json_IsTheJob()
    {
        _cli.Jobs.Client.Jobs["job_7"] = Job("job_7", "completed");

        var exit = await _cli.RunAsync("jobs", "get", "job_7", "--json");

        Assert.Equal(0, exit);
        var job = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal(("job_7", "sum", "completed"), (job.GetProperty("id").GetString(), job.GetProperty("op").GetString(), job.GetProperty("status").GetString()));
        Assert.Equal(5, job.GetProperty("max_attempts").GetInt32());
    }

    [Fact]
    public async Task JobsCancel_PrintsTheJobAsItIsNow_AndAnUnknownOneExits3()
    {
        _cli.Jobs.Client.Jobs["job_8"] = Job("job_8", "pending");

        var exit = await _cli.RunAsync("jobs", "cancel", "job_8");
        var unknown = await new CliHarness().RunAsync("jobs", "cancel", "job_404");

        Assert.Equal((0, 3), (exit, unknown));
        Assert.Contains("status:       cancelled\n", _cli.Output, StringComparison.Ordinal);
        Assert.Contains("error:        cancelled by an operator\n", _cli.Output, StringComparison.Ordinal);
        Assert.Equal("cancelled", _cli.Jobs.Client.Jobs["job_8"].Status);
    }

    private static JobView Job(string id, string status) => new(
        id, "sum", JsonSerializer.SerializeToElement(new { a = 1 }), status, "normal", 0, 5, null, null, [],
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero));
}
