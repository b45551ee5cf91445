using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet stats [--json]</c>: GET /v1/stats once.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Write the stats as JSON." };
        var command = new Command("stats", "Show job counts per status and operation, and bot counts.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stats = await context.Jobs.UseAsync(
                parseResult.GetRequiredValue(globals.Server),
                client => client.GetStatsAsync(cancellationToken),
                cancellationToken);

            if (parseResult.GetValue(json))
            {
                StatsFormatter.WriteJson(context.Output, stats);
            }
            else
            {
                StatsFormatter.WriteTable(context.Output, stats);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
