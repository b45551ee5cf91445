using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

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
    public async Task Status_SiloUnreachable_Exits5WithTheMessageOnly()
    {
        _cli.Fleet.ConnectFault = new FleetUnavailableException("The BotFleet silo is unreachable at gateway 127.0.0.1:30000 (refused). Is the silo running?");

        var exit = await _cli.RunAsync("status");

        Assert.Equal(5, exit);
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
    public async Task Stats_ServerUnreachable_Exits5NamingTheServer()
    {
        _cli.Jobs.ConnectFault = new JobApiException("Job API stats: Connection refused (127.0.0.1:5999)", null, isTransient: true);

        var exit = await _cli.RunAsync("stats", "--server", "http://127.0.0.1:5999");

        Assert.Equal(5, exit);
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
    public async Task Stats_RendersPerOperationTable()
    {
        _cli.Jobs.Client.Stats.Enqueue(new StatsResponse(
            new JobStatusCounts(3, 1, 120, 2, 4),
            new Dictionary<string, JobStatusCounts>
            {
                ["sum"] = new(3, 1, 100, 2, 4),
                ["echo"] = new(0, 0, 20, 0),
            },
            new BotCounts(2, 1)));

        var exit = await _cli.RunAsync("stats");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            OP     PENDING  LEASED  COMPLETED  DEAD  CANCELLED
            echo         0       0         20     0          0
            sum          3       1        100     2          4
            (all)        3       1        120     2          4
            Bots: 1 active of 2 registered.

            """,
            _cli.Output);
    }

    [Fact]
    public void BotDefinition_DefaultsMatchTheCliDefaults()
    {
        // The CLI states its defaults in help; they must be the contract's.
        var definition = new BotDefinition { Operations = ["sum"] };

        Assert.Equal(4, definition.MaxConcurrency);
        Assert.Equal(10, definition.ClaimBatchSize);
    }
}
