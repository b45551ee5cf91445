using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.Contracts.Bots;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet outbox show [bot-key] [--all]</c>: how many reports each bot holds undelivered.</summary>
internal static class OutboxShowCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = OutboxCommand.OptionalBotKeyArgument("Show only this bot's outbox.");
        var all = new Option<bool>("--all") { Description = "List bots with an empty outbox too." };
        var command = new Command("show", "Show the undelivered reports per bot (bots with an empty outbox are left out unless --all).") { botKey, all };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetValue(botKey);
            var bots = await run.WithFleetAsync<IReadOnlyList<BotStatus>>(
                async fleet => key is null
                    ? [.. (await fleet.GetFleetStatusAsync(cancellationToken)).Bots]
                    : [await BotLookup.RequireAsync(fleet, key, cancellationToken)],
                cancellationToken);

            var shown = bots
                .Where(b => key is not null || parseResult.GetValue(all) || b.OutboxSize > 0)
                .OrderBy(b => b.BotKey, StringComparer.Ordinal)
                .Select(b => new BotOutbox(b.BotKey, FleetStatusFormatter.State(b.State), b.OutboxSize, b.OutboxSize, b.LastError))
                .ToList();
            var report = new OutboxReport(shown.Sum(b => (long)b.OutboxSize), 0, shown);
            if (run.Json)
            {
                run.WriteJson(report);
                return ExitCodes.Success;
            }

            OutboxFormatter.WriteTable(run, report, flushed: false);
            var holding = shown.Count(b => b.OutboxSize > 0);
            run.WriteLine(report.TotalReports == 0
                ? $"No undelivered reports ({Text.Number(bots.Count)} {(bots.Count == 1 ? "bot" : "bots")})."
                : $"{Text.Number(report.TotalReports)} undelivered {(report.TotalReports == 1 ? "report" : "reports")} in {Text.Number(holding)} {(holding == 1 ? "bot" : "bots")}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
