using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;

namespace BotFleet.Client.Tests.Cli;

/// <summary>Commands against fake silo and job server: what they send, print and exit with.</summary>
public sealed class CommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task BotsStart_SendsDefinitionThroughTheGivenGateway()
    {
        var exit = await _cli.RunAsync("--gateway-port", "30100", "bots", "start", "bot-a", "--ops", "sum, echo", "--ops", "sum", "--batch-size", "5");

        Assert.Equal(0, exit);
        Assert.Equal([30100], _cli.Fleet.Ports);
        var (key, definition) = Assert.Single(_cli.Fleet.Client.Started);
        Assert.Equal("bot-a", key);
        Assert.Equal(["sum", "echo"], definition.Operations);
        Assert.Equal(4, definition.MaxConcurrency);
        Assert.Equal(5, definition.ClaimBatchSize);
        Assert.Equal("Started bot bot-a: ops sum,echo, max concurrency 4, batch size 5.\n", _cli.Output);
        Assert.Empty(_cli.Error);
    }

    [Fact]
    public async Task BotsStop_StopsTheBot()
    {
        var exit = await _cli.RunAsync("bots", "stop", "bot-a");

        Assert.Equal(0, exit);
        Assert.Equal(["bot-a"], _cli.Fleet.Client.Stopped);
        Assert.Equal([30000], _cli.Fleet.Ports);
        Assert.Equal("Stopped bot bot-a.\n", _cli.Output);
    }

    [Fact]
    public async Task Status_SiloUnreachable_Exits1WithTheMessageOnly()
    {
        _cli.Fleet.ConnectFault = new FleetUnavailableException("The BotFleet silo is unreachable at gateway 127.0.0.1:30000 (refused). Is the silo running?");

        var exit = await _cli.RunAsync("status");

        Assert.Equal(1, exit);
        Assert.Equal("error: The BotFleet silo is unreachable at gateway 127.0.0.1:30000 (refused). Is the silo running?\n", _cli.Error);
        Assert.Empty(_cli.Output);
    }

    [Fact]
    public async Task BotsStart_SiloRefusesDefinition_Exits2()
    {
        _cli.Fleet.ConnectFault = new ArgumentException("Bot bot-a cannot start: operations: operation names must be non-empty");

        var exit = await _cli.RunAsync("bots", "start", "bot-a", "--ops", "sum");

        Assert.Equal(2, exit);
        Assert.Equal("error: Bot bot-a cannot start: operations: operation names must be non-empty\n", _cli.Error);
    }

    [Fact]
    public async Task Stats_ServerUnreachable_Exits1NamingTheServer()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API stats: Connection refused (127.0.0.1:5999)", null, isTransient: true);

        var exit = await _cli.RunAsync("stats", "--server", "http://127.0.0.1:5999");

        Assert.Equal(1, exit);
        Assert.Equal(
            "error: the job server at http://127.0.0.1:5999/ is unreachable (Job API stats: Connection refused (127.0.0.1:5999)). Is it running?\n",
            _cli.Error);
    }

    [Fact]
    public async Task JobsSubmit_ServerRefusesInput_Exits2()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API submit answered 400 Bad Request: Invalid request. (op: Unknown.)", HttpStatusCode.BadRequest, isTransient: false);

        var exit = await _cli.RunAsync("jobs", "submit", "--op", "nope", "--payload", "{}");

        Assert.Equal(2, exit);
        Assert.Equal("error: Job API submit answered 400 Bad Request: Invalid request. (op: Unknown.)\n", _cli.Error);
    }

    [Fact]
    public async Task JobsSubmit_PrintsOneIdPerLine()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "sum", "--payload", """{"a":1,"b":2}""", "--priority", "high");

        Assert.Equal(0, exit);
        Assert.Equal("job_1\n", _cli.Output);
        var job = Assert.Single(Assert.Single(_cli.Jobs.Client.Submissions));
        Assert.Equal("sum", job.Op);
        Assert.Equal("high", job.Priority);
        Assert.Equal("""{"a":1,"b":2}""", JsonSerializer.Serialize(job.Payload));
        Assert.Equal([new Uri("http://127.0.0.1:5080")], _cli.Jobs.Servers);
    }

    [Fact]
    public async Task JobsSubmit_LargeCount_SplitsIntoBatchesOfTheApiLimit()
    {
        var exit = await _cli.RunAsync("jobs", "submit", "--op", "echo", "--payload", "{}", "--count", "2500");

        Assert.Equal(0, exit);
        Assert.Equal([1000, 1000, 500], _cli.Jobs.Client.Submissions.Select(batch => batch.Count));
        Assert.Equal(2500, _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("job_2500\n", _cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsGet_UnknownJob_Exits1()
    {
        var exit = await _cli.RunAsync("jobs", "get", "job_404");

        Assert.Equal(1, exit);
        Assert.Equal("error: job job_404 was not found.\n", _cli.Error);
    }

    [Fact]
    public async Task Stats_RendersPerOperationTable()
    {
        _cli.Jobs.Client.Stats.Enqueue(new StatsResponse(
            new JobStatusCounts(3, 1, 120, 2),
            new Dictionary<string, JobStatusCounts>
            {
                ["sum"] = new(3, 1, 100, 2),
                ["echo"] = new(0, 0, 20, 0),
            },
            new BotCounts(2, 1)));

        var exit = await _cli.RunAsync("stats");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            OP     PENDING  LEASED  COMPLETED  DEAD
            echo         0       0         20     0
            sum          3       1        100     2
            (all)        3       1        120     2
            Bots: 1 active of 2 registered.

            """,
            _cli.Output);
    }

    [Fact]
    public async Task Watch_UntilDrained_PrintsEachSampleAndExits0()
    {
        var stats = _cli.Jobs.Client.Stats;
        stats.Enqueue(Stats(pending: 2, leased: 1));
        stats.Enqueue(Stats(pending: 0, leased: 1));
        stats.Enqueue(Stats(pending: 0, leased: 0));

        var run = _cli.StartAsync(["watch", "--interval", "2s", "--until-drained"], TestContext.Current.CancellationToken);
        while (!run.IsCompleted)
        {
            // Each sample waits on the fake clock; advancing it releases the next one.
            await Task.Delay(10, TestContext.Current.CancellationToken);
            _cli.Time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(0, await run);
        Assert.Equal(3, _cli.Jobs.Client.StatsCalls);
        var lines = _cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith("pending 2  leased 1  completed 7  dead 0  bots 1/1", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("pending 0  leased 0  completed 7  dead 0  bots 1/1", lines[2], StringComparison.Ordinal);
        Assert.Equal("Drained: nothing pending or leased.", lines[3]);
    }

    [Fact]
    public async Task Watch_Cancelled_Exits0()
    {
        _cli.Jobs.Client.Stats.Enqueue(Stats(pending: 5, leased: 0));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = _cli.StartAsync(["watch"], cancel.Token);
        while (_cli.Jobs.Client.StatsCalls == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await cancel.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Equal("2026-01-02T03:04:05Z  pending 5  leased 0  completed 7  dead 0  bots 1/1\n", _cli.Output);
    }

    private static StatsResponse Stats(long pending, long leased) =>
        new(new JobStatusCounts(pending, leased, 7, 0), ImmutableDictionary<string, JobStatusCounts>.Empty, new BotCounts(1, 1));

    [Fact]
    public void BotDefinition_DefaultsMatchTheCliDefaults()
    {
        // The CLI states its defaults in help; they must be the contract's.
        var definition = new BotDefinition { Operations = ["sum"] };

        Assert.Equal(4, definition.MaxConcurrency);
        Assert.Equal(10, definition.ClaimBatchSize);
    }
}
