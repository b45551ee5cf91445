using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots list</c>: every bot on the roster, as <c>status</c> shows them.</summary>
internal static class BotsListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("list", "List every enrolled bot: state, silo, load, outbox and counters.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var status = await run.WithFleetAsync(fleet => fleet.GetFleetStatusAsync(cancellationToken), cancellationToken);
            if (run.Json)
            {
                run.WriteJson(status);
            }
            else
            {
                FleetStatusFormatter.WriteTable(run, status);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
