using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Client.Tests.Output;

/// <summary><c>botfleet status</c> renders exactly this, for people and for scripts.</summary>
public sealed class FleetStatusOutputTests
{
    private static readonly FleetStatus TwoBots = new()
    {
        TakenAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Bots =
        [
            // Deliberately out of order: the table sorts by key.
            new BotStatus
            {
                BotKey = "beta",
                State = BotState.Degraded,
                Operations = ["sleep"],
                MaxConcurrency = 10,
                InFlight = 0,
                PeakInFlight = 10,
                OutboxSize = 12,
                JobsCompleted = 5,
                JobsFailed = 0,
                ReportsDropped = 1,
                LastError = "Job API claim answered 503 Service Unavailable\nretry later",
            },
            new BotStatus
            {
                BotKey = "alpha",
                State = BotState.Active,
                BotId = "bot_01",
                InstanceId = "inst_9",
                Operations = ["sum", "echo"],
                MaxConcurrency = 4,
                InFlight = 2,
                PeakInFlight = 4,
                OutboxSize = 0,
                JobsCompleted = 1_234,
                JobsFailed = 3,
                ReportsDropped = 0,
                LastTickAt = new DateTimeOffset(2026, 1, 2, 3, 4, 4, TimeSpan.Zero),
                NextTickAt = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
                Silo = "S127.0.0.1:11111:123",
            },
        ],
    };

    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Status_RendersOneRowPerBotSortedByKey()
    {
        _cli.Fleet.Client.Status = TwoBots;

        var exit = await _cli.RunAsync("status");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            KEY    STATE     BOT ID  SILO                  OPS       IN-FLIGHT  PEAK  OUTBOX  COMPLETED  FAILED  DROPPED  LAST ERROR
            alpha  active    bot_01  S127.0.0.1:11111:123  sum,echo        2/4     4       0       1234       3        0  -
            beta   degraded  -       -                     sleep          0/10    10      12          5       0        1  Job API claim answered 503 Service Unavailable retry later
            2 bots at 2026-01-02T03:04:05Z.

            """,
            _cli.Output);
        Assert.Empty(_cli.Error);
    }

    [Fact]
    public async Task StatusOfOneBot_RendersOnlyThatBotAsOfNow()
    {
        _cli.Fleet.Client.Status = TwoBots;

        var exit = await _cli.RunAsync("status", TwoBots.Bots[1].BotKey, "--json");
        var shown = System.Text.Json.JsonDocument.Parse(_cli.Output).RootElement;

        Assert.Equal(0, exit);
        Assert.Equal([TwoBots.Bots[1].BotKey], shown.GetProperty("bots").EnumerateArray().Select(b => b.GetProperty("bot_key").GetString()));
        Assert.Equal("2026-01-02T03:04:05+00:00", shown.GetProperty("taken_at").GetString());
    }

    [Fact]
    public async Task Status_LongLastError_IsCutToOneColumn()
    {
        var bot = TwoBots.Bots[1] with { LastError = new string('x', 100) };
        _cli.Fleet.Client.Status = TwoBots with { Bots = [bot] };

        await _cli.RunAsync("status");

        var row = _cli.Output.Split('\n')[1];
        Assert.EndsWith("  " + new string('x', 59) + "…", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NoBots_SaysSo()
    {
        _cli.Fleet.Client.Status = TwoBots with { Bots = [] };

        var exit = await _cli.RunAsync("status");

        Assert.Equal(0, exit);
        Assert.Equal("No bots enrolled (2026-01-02T03:04:05Z).\n", _cli.Output);
    }

    [Fact]
    public async Task StatusJson_WritesEveryFieldInSnakeCase()
    {
        _cli.Fleet.Client.Status = TwoBots with { Bots = [TwoBots.Bots[1]] };

        var exit = await _cli.RunAsync("status", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            {
              "bots": [
                {
                  "bot_key": "alpha",
                  "state": "active",
                  "bot_id": "bot_01",
                  "instance_id": "inst_9",
                  "operations": [
                    "sum",
                    "echo"
                  ],
                  "max_concurrency": 4,
                  "in_flight": 2,
                  "peak_in_flight": 4,
                  "outbox_size": 0,
                  "jobs_completed": 1234,
                  "jobs_failed": 3,
                  "reports_dropped": 0,
                  "last_error": null,
                  "last_tick_at": "2026-01-02T03:04:04+00:00",
                  "next_tick_at": "2026-01-02T03:04:06+00:00",
                  "jobs_released": 0,
                  "last_heartbeat_at": null,
                  "silo": "S127.0.0.1:11111:123"
                }
              ],
              "taken_at": "2026-01-02T03:04:05+00:00"
            }

            """,
            _cli.Output);
    }

    [Fact]
    public async Task StatusJson_NoBots_IsAnEmptyArray()
    {
        _cli.Fleet.Client.Status = TwoBots with { Bots = [] };

        await _cli.RunAsync("status", "--json");

        Assert.Equal("{\n  \"bots\": [],\n  \"taken_at\": \"2026-01-02T03:04:05+00:00\"\n}\n", _cli.Output);
    }
}
