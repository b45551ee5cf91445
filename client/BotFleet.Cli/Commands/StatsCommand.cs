using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet stats</c>: GET /v1/stats once.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("stats", "Show job counts per status and operation, and bot counts.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var stats = await run.WithJobsAsync(client => client.GetStatsAsync(cancellationToken), cancellationToken);
            if (run.Json)
            {
                run.WriteJson(stats);
            }
            else
            {
                StatsFormatter.WriteTable(run, stats);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
