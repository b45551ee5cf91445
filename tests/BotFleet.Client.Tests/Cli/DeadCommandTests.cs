using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Client.Tests.Cli;

/// <summary><c>dead list|requeue|discard</c> and <c>jobs requeue</c>: what is sent, what is printed, the exit codes.</summary>
public sealed class DeadCommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task DeadList_AsksForDeadJobsAndShowsTheirLastError()
    {
        _cli.Jobs.Client.Page = new JobListAnswer([Job("job_7", "boom:\ndivide by zero")], "42");

        var exit = await _cli.RunAsync("dead", "list", "--op", "divide", "--limit", "1");

        Assert.Equal(0, exit);
        Assert.Equal(new JobListQuery("dead", "divide", 1, null), Assert.Single(_cli.Jobs.Client.ListQueries));
        Assert.Equal(
            """
            ID     OP      ATTEMPTS  DIED                  LAST ERROR
            job_7  divide         5  2026-01-02T03:04:06Z  boom: divide by zero
            1 dead job; next page: --cursor 42

            """,
            _cli.Output);
    }

    [Fact]
    public async Task DeadRequeue_NamedJobs_SendsThemWithTheAttemptsAndSaysWhatWasRefused()
    {
        _cli.Jobs.Client.ControlAnswer = new JobControlResponse(1,
        [
            new("job_1", JobControlStatuses.Requeued),
            new("job_2", JobControlStatuses.Conflict, "pending"),
        ]);

        var exit = await _cli.RunAsync("dead", "requeue", "job_1", "job_2", "--attempts", "3");

        Assert.Equal(1, exit);
        var (action, request) = Assert.Single(_cli.Jobs.Client.ControlRequests);
        Assert.Equal(("requeue", (bool?)null, (int?)3), (action, request.All, request.Attempts));
        Assert.Equal(["job_1", "job_2"], request.JobIds!);
        Assert.Equal("job_2: is pending, not dead; left as it is\nRequeued 1 of 2 jobs.\n", _cli.Output);
    }

    [Fact]
    public async Task DeadDiscard_UnknownJob_Exits3()
    {
        _cli.Jobs.Client.ControlAnswer = new JobControlResponse(0, [new("job_9", JobControlStatuses.NotFound)]);

        var exit = await _cli.RunAsync("dead", "discard", "job_9");

        Assert.Equal(3, exit);
        Assert.Equal("discard", Assert.Single(_cli.Jobs.Client.ControlRequests).Action);
        Assert.Equal("job_9: not found\nDiscarded 0 of 1 job.\n", _cli.Output);
    }

    [Fact]
    public async Task DeadDiscard_AllOfAnOperation_Json_IsTheServersAnswer()
    {
        _cli.Jobs.Client.ControlAnswer = new JobControlResponse(2500);

        var exit = await _cli.RunAsync("dead", "discard", "--all", "--op", "divide", "--json");

        Assert.Equal(0, exit);
        var request = Assert.Single(_cli.Jobs.Client.ControlRequests).Request;
        Assert.Equal((null, true, "divide", null), (request.JobIds, request.All, request.Op, request.Attempts));
        Assert.Equal(2500, JsonDocument.Parse(_cli.Output).RootElement.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task JobsRequeue_All_PrintsTheCount()
    {
        _cli.Jobs.Client.ControlAnswer = new JobControlResponse(12);

        var exit = await _cli.RunAsync("jobs", "requeue", "--all");

        Assert.Equal(0, exit);
        Assert.Equal("Requeued 12 dead jobs.\n", _cli.Output);
    }

    [Theory]
    [InlineData("dead", "requeue")]
    [InlineData("dead", "requeue", "job_1", "--all")]
    [InlineData("dead", "requeue", "job_1", "--op", "sum")]
    [InlineData("dead", "requeue", "job_1", "--attempts", "0")]
    [InlineData("dead", "discard", "--all", "--attempts", "2")]
    public async Task Control_BadArguments_Exit2AndSendNothing(params string[] args)
    {
        var exit = await _cli.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Empty(_cli.Jobs.Client.ControlRequests);
        Assert.StartsWith("error: ", _cli.Error, StringComparison.Ordinal);
    }

    private static JobView Job(string id, string error) =>
        new(id, "divide", JsonDocument.Parse("{}").RootElement, "dead", "normal", 5, 5, null, error, [],
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero));
}
