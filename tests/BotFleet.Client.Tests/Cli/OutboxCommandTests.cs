using System.Text.Json;
using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;

namespace BotFleet.Client.Tests.Cli;

/// <summary><c>outbox show|flush</c>: what bots hold undelivered, and delivering it now.</summary>
public sealed class OutboxCommandTests
{
    private readonly CliHarness _cli = new();

    public OutboxCommandTests()
    {
        _cli.Fleet.Client.Status = new()
        {
            TakenAt = _cli.Time.GetUtcNow(),
            Bots =
            [
                Bot("beta", outbox: 3, lastError: "Job API report answered 503 Service Unavailable"),
                Bot("alpha", outbox: 0),
                Bot("gamma", outbox: 1),
            ],
        };
    }

    [Fact]
    public async Task OutboxShow_ListsOnlyBotsHoldingReports()
    {
        var exit = await _cli.RunAsync("outbox", "show");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            KEY    STATE     OUTBOX  LAST ERROR
            beta   degraded       3  Job API report answered 503 Service Unavailable
            gamma  degraded       1  -
            4 undelivered reports in 2 bots.

            """,
            _cli.Output);
    }

    [Fact]
    public async Task OutboxShow_Json_CountsEveryBotWithAll()
    {
        var exit = await _cli.RunAsync("outbox", "show", "--all", "--json");

        Assert.Equal(0, exit);
        var report = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal(4, report.GetProperty("total_reports").GetInt64());
        Assert.Equal(["alpha", "beta", "gamma"], report.GetProperty("bots").EnumerateArray().Select(b => b.GetProperty("bot_key").GetString()));
        Assert.Equal([0, 3, 1], report.GetProperty("bots").EnumerateArray().Select(b => b.GetProperty("outbox_size").GetInt32()));
    }

    [Fact]
    public async Task OutboxShow_NothingHeld_SaysSo()
    {
        _cli.Fleet.Client.Status = _cli.Fleet.Client.Status with { Bots = [Bot("alpha", outbox: 0)] };

        var exit = await _cli.RunAsync("outbox", "show");

        Assert.Equal(0, exit);
        Assert.Equal("No undelivered reports (1 bot).\n", _cli.Output);
    }

    [Fact]
    public async Task OutboxFlush_WakesEachBotHoldingReportsAndWaitsUntilDelivered()
    {
        // A woken bot delivers its outbox, as a tick does.
        _cli.Fleet.Client.OnWake = key => _cli.Fleet.Client.Status = _cli.Fleet.Client.Status with
        {
            Bots = [.. _cli.Fleet.Client.Status.Bots.Select(b => b.BotKey == key ? b with { OutboxSize = 0, State = BotState.Active, LastError = null } : b)],
        };

        var exit = await _cli.RunAsync("outbox", "flush", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(["beta", "gamma"], _cli.Fleet.Client.Woken);
        var report = JsonDocument.Parse(_cli.Output).RootElement;
        Assert.Equal(0, report.GetProperty("total_reports").GetInt64());
        Assert.Equal(4, report.GetProperty("delivered").GetInt64());
        Assert.Equal([3, 1], report.GetProperty("bots").EnumerateArray().Select(b => b.GetProperty("before").GetInt32()));
    }

    [Fact]
    public async Task OutboxFlush_ReportsStillUndeliveredAfterTheTimeout_Exits1NamingThem()
    {
        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromMilliseconds(250), "outbox", "flush", "beta", "--timeout", "2s");

        Assert.Equal(1, exit);
        Assert.Equal(["beta"], _cli.Fleet.Client.Woken);
        Assert.Equal(
            """
            KEY   STATE     BEFORE  OUTBOX  LAST ERROR
            beta  degraded       3       3  Job API report answered 503 Service Unavailable

            """,
            _cli.Output);
        Assert.Equal(
            "error: 3 reports remain undelivered after 0 were delivered; beta: 3 (last error: Job API report answered 503 Service Unavailable).\n",
            _cli.Error);
    }

    private static BotStatus Bot(string key, int outbox, string? lastError = null) => new()
    {
        BotKey = key,
        State = outbox > 0 ? BotState.Degraded : BotState.Active,
        Operations = ["sum"],
        MaxConcurrency = 4,
        OutboxSize = outbox,
        LastError = lastError,
    };
}
