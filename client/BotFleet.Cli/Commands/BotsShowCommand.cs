using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots show &lt;bot-key&gt;</c>: one bot in full; exit 3 for a key the fleet does not know.</summary>
internal static class BotsShowCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = BotsCommand.BotKeyArgument();
        var command = new Command("show", "Show one bot: state, bot id, silo, operations, load, outbox, counters and last error.") { botKey };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetRequiredValue(botKey);
            var bot = await run.WithFleetAsync(fleet => BotLookup.RequireAsync(fleet, key, cancellationToken), cancellationToken);
            if (run.Json)
            {
                run.WriteJson(bot);
            }
            else
            {
                FleetStatusFormatter.WriteDetails(run, bot);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
