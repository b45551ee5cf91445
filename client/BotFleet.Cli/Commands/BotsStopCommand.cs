using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet bots stop &lt;bot-key&gt;</c>.</summary>
internal static class BotsStopCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = BotsCommand.BotKeyArgument();
        var command = new Command("stop", "Stop a bot and remove it from the fleet; undelivered reports stay in its outbox.") { botKey };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var key = parseResult.GetRequiredValue(botKey);
            await context.Fleet.UseAsync(
                parseResult.GetValue(globals.GatewayPort),
                async client =>
                {
                    await client.StopBotAsync(key, cancellationToken);
                    return true;
                },
                cancellationToken);

            await context.Output.WriteLineAsync($"Stopped bot {key}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
