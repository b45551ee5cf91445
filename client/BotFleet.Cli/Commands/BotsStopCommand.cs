using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots stop &lt;bot-key&gt;</c>; exit 3 for a key the fleet does not know.</summary>
internal static class BotsStopCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = BotsCommand.BotKeyArgument();
        var command = new Command("stop", "Stop a bot and remove it from the fleet; undelivered reports stay in its outbox.") { botKey };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetRequiredValue(botKey);
            await run.WithFleetAsync(
                async fleet =>
                {
                    // Stopping an unknown key would "succeed" on an empty grain and hide the typo.
                    await BotLookup.RequireAsync(fleet, key, cancellationToken);
                    await fleet.StopBotAsync(key, cancellationToken);
                    return true;
                },
                cancellationToken);

            if (run.Json)
            {
                run.WriteJson(new BotChangeResult(key, "stopped"));
            }
            else
            {
                run.WriteLine($"Stopped bot {key}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
