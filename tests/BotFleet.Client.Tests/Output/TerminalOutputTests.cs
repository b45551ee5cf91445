using BotFleet.Client.Tests.Fakes;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Client.Tests.Output;

/// <summary>
/// At a terminal the same commands render through Spectre.Console. The console is Spectre's own (AnsiConsole.Create)
/// over the harness's StringWriter, marked interactive: the production path with only the writer swapped, rather than
/// Spectre.Console.Testing's TestConsole, which would need another package and bypass how CliContext builds it.
/// </summary>
public sealed class TerminalOutputTests
{
    private readonly CliHarness _cli = new() { Interactive = true, TerminalWidth = 200 };

    [Fact]
    public async Task BotsList_AtATerminal_DrawsABorderedTable()
    {
        _cli.Fleet.Client.Status = new()
        {
            TakenAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Bots = [new BotStatus { BotKey = "alpha[1]", State = BotState.Active, Operations = ["sum"], MaxConcurrency = 4 }],
        };

        var exit = await _cli.RunAsync("bots", "list");

        Assert.Equal(0, exit);
        Assert.Contains("╭", _cli.Output, StringComparison.Ordinal);
        // Cells are text, not markup: brackets in a key survive.
        Assert.Contains("alpha[1]", _cli.Output, StringComparison.Ordinal);
        Assert.EndsWith("1 bot at 2026-01-02T03:04:05Z.\n", _cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_AtATerminal_ShowsTheProgressBarWithRateAndEta()
    {
        _cli.Fleet.Client.Status = new()
        {
            TakenAt = DateTimeOffset.UnixEpoch,
            Bots = [new BotStatus { BotKey = "calc", State = BotState.Active, Operations = ["sum"], MaxConcurrency = 4 }],
        };
        _cli.Jobs.Client.Stats.Enqueue(new StatsResponse(new(4, 0, 0, 0), new Dictionary<string, JobStatusCounts> { ["sum"] = new(4, 0, 0, 0) }, new(1, 1)));
        _cli.Jobs.Client.Stats.Enqueue(new StatsResponse(new(0, 0, 4, 0), new Dictionary<string, JobStatusCounts> { ["sum"] = new(0, 0, 4, 0) }, new(1, 1)));

        var exit = await _cli.RunAdvancingAsync(TimeSpan.FromSeconds(1), "watch", "--until-drained");

        Assert.Equal(0, exit);
        Assert.Contains("4/4 jobs", _cli.Output, StringComparison.Ordinal);
        Assert.Contains("jobs/s", _cli.Output, StringComparison.Ordinal);
        Assert.Contains("ETA 0s", _cli.Output, StringComparison.Ordinal);
        Assert.Contains("Drained: nothing pending or leased.", _cli.Output, StringComparison.Ordinal);
    }
}
