using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;

namespace BotFleet.Client.Tests.Cli;

/// <summary><c>bots list|show|stop|pause|resume</c> and <c>status</c>: known bots act, unknown keys are errors (exit 3).</summary>
public sealed class BotsCommandTests
{
    private static readonly BotStatus Alpha = new()
    {
        BotKey = "alpha",
        State = BotState.Active,
        BotId = "bot_01",
        InstanceId = "inst_9",
        Operations = ["sum", "echo"],
        MaxConcurrency = 4,
        InFlight = 1,
        PeakInFlight = 3,
        OutboxSize = 2,
        JobsCompleted = 10,
        Silo = "S127.0.0.1:11111:1",
    };

    private readonly CliHarness _cli = new();

    public BotsCommandTests()
    {
        _cli.Fleet.Client.Status = new() { Bots = [Alpha], TakenAt = _cli.Time.GetUtcNow() };
        _cli.Jobs.Client.KnownBotIds.Add("bot_01");
    }

    [Fact]
    public async Task BotsList_Json_ListsTheRoster()
    {
        var exit = await _cli.RunAsync("bots", "list", "--json");

        Assert.Equal(0, exit);
        var bots = JsonDocument.Parse(_cli.Output).RootElement.GetProperty("bots");
        var bot = Assert.Single(bots.EnumerateArray());
        Assert.Equal("alpha", bot.GetProperty("bot_key").GetString());
        Assert.Equal("active", bot.GetProperty("state").GetString());
        Assert.Equal(2, bot.GetProperty("outbox_size").GetInt32());
    }

    [Fact]
    public async Task BotsShow_Text_ListsEveryField()
    {
        var exit = await _cli.RunAsync("bots", "show", "alpha");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            key:            alpha
            state:          active
            bot id:         bot_01
            instance:       inst_9
            silo:           S127.0.0.1:11111:1
            ops:            sum,echo
            in-flight:      1/4 (peak 3)
            outbox:         2
            completed:      10
            failed:         0
            released:       0
            dropped:        0
            last error:     -
            last tick:      -
            next tick:      -
            last heartbeat: -

            """,
            _cli.Output);
    }

    [Fact]
    public async Task BotsShow_Json_IsTheBotItself()
    {
        var exit = await _cli.RunAsync("bots", "show", "alpha", "--json");

        Assert.Equal(0, exit);
        var bot = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal("alpha", bot.GetProperty("bot_key").GetString());
        Assert.Equal("bot_01", bot.GetProperty("bot_id").GetString());
        Assert.Equal(["sum", "echo"], bot.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
    }

    [Theory]
    [InlineData("status", "no-such-bot")]
    [InlineData("bots", "show", "no-such-bot")]
    [InlineData("bots", "stop", "no-such-bot")]
    [InlineData("bots", "pause", "no-such-bot")]
    [InlineData("bots", "resume", "no-such-bot")]
    [InlineData("outbox", "show", "no-such-bot")]
    [InlineData("outbox", "flush", "no-such-bot")]
    public async Task UnknownBot_Exits3AndChangesNothing(params string[] args)
    {
        var exit = await _cli.RunAsync(args);

        Assert.Equal(3, exit);
        Assert.Equal("error: bot 'no-such-bot' is not known to the fleet (see 'botfleet bots list').\n", _cli.Error);
        Assert.Empty(_cli.Output);
        Assert.Empty(_cli.Fleet.Client.Stopped);
        Assert.Empty(_cli.Fleet.Client.Woken);
        Assert.Empty(_cli.Jobs.Client.AssignmentChanges);
    }

    [Fact]
    public async Task UnknownBot_Json_IsAnErrorObjectOnStdout()
    {
        var exit = await _cli.RunAsync("bots", "stop", "no-such-bot", "--json");

        Assert.Equal(3, exit);
        Assert.Empty(_cli.Error);
        var error = JsonDocument.Parse(_cli.Output).RootElement.GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("bot 'no-such-bot' is not known to the fleet (see 'botfleet bots list').", error.GetProperty("message").GetString());
        Assert.Equal(3, error.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task BotsStop_KnownBot_StopsIt()
    {
        var exit = await _cli.RunAsync("bots", "stop", "alpha");

        Assert.Equal(0, exit);
        Assert.Equal(["alpha"], _cli.Fleet.Client.Stopped);
        Assert.Equal([30000], _cli.Fleet.Ports);
        Assert.Equal("Stopped bot alpha.\n", _cli.Output);
    }

    [Fact]
    public async Task BotsPause_SetsPausedOnTheServerByBotIdAndWakesTheBot()
    {
        var exit = await _cli.RunAsync("bots", "pause", "alpha");

        Assert.Equal(0, exit);
        var (botId, request) = Assert.Single(_cli.Jobs.Client.AssignmentChanges);
        Assert.Equal(("bot_01", true, null, null), (botId, request.Paused, request.Operations, request.MaxConcurrency));
        Assert.Equal(["alpha"], _cli.Fleet.Client.Woken);
        Assert.Equal("Paused bot alpha (bot_01): it claims no more jobs; running jobs finish and report.\n", _cli.Output);
    }

    [Fact]
    public async Task BotsResume_Json_ReportsTheNewAssignment()
    {
        var exit = await _cli.RunAsync("bots", "resume", "alpha", "--json");

        Assert.Equal(0, exit);
        Assert.False(Assert.Single(_cli.Jobs.Client.AssignmentChanges).Request.Paused);
        var result = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal("alpha", result.GetProperty("bot_key").GetString());
        Assert.Equal("resumed", result.GetProperty("action").GetString());
        Assert.Equal("bot_01", result.GetProperty("bot_id").GetString());
        Assert.False(result.GetProperty("paused").GetBoolean());
        Assert.Equal(4, result.GetProperty("max_concurrency").GetInt32());
    }

    [Fact]
    public async Task BotsPause_BotNotYetRegistered_Exits1SayingSo()
    {
        _cli.Fleet.Client.Status = _cli.Fleet.Client.Status with { Bots = [Alpha with { BotId = null, State = BotState.Registering }] };

        var exit = await _cli.RunAsync("bots", "pause", "alpha");

        Assert.Equal(1, exit);
        Assert.Equal(
            "error: bot 'alpha' has not registered with the job server (state registering); try again once 'botfleet bots show alpha' shows a bot id.\n",
            _cli.Error);
        Assert.Empty(_cli.Jobs.Client.AssignmentChanges);
    }

    [Fact]
    public async Task BotsPause_ServerDoesNotKnowTheBotId_Exits3()
    {
        _cli.Jobs.Client.KnownBotIds.Clear();

        var exit = await _cli.RunAsync("bots", "pause", "alpha");

        Assert.Equal(3, exit);
        Assert.Equal(
            "error: the job server at http://127.0.0.1:5080/ does not know bot 'alpha' (bot id bot_01); is the silo using another job server?\n",
            _cli.Error);
        Assert.Empty(_cli.Fleet.Client.Woken);
    }

    [Fact]
    public async Task BotsStart_Json_EchoesTheDefinition()
    {
        var exit = await _cli.RunAsync("bots", "start", "beta", "--ops", "echo", "--json");

        Assert.Equal(0, exit);
        var result = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal(("beta", "started"), (result.GetProperty("bot_key").GetString(), result.GetProperty("action").GetString()));
        Assert.Equal(["echo"], result.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(4, result.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(10, result.GetProperty("claim_batch_size").GetInt32());
    }
}
