using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet status [bot-key] [--json]</c>: every enrolled bot from the fleet grain, or one bot (enrolled or not).</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Write the status as JSON." };
        var botKey = new Argument<string?>("bot-key") { Description = "Show only this bot.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show every enrolled bot (or one): state, load, outbox and counters.") { botKey, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var key = parseResult.GetValue(botKey);
            var status = await context.Fleet.UseAsync(
                parseResult.GetValue(globals.GatewayPort),
                async client => key is null
                    ? await client.GetFleetStatusAsync(cancellationToken)
                    : new FleetStatus { Bots = [await client.GetBotStatusAsync(key, cancellationToken)], TakenAt = context.Time.GetUtcNow() },
                cancellationToken);

            if (parseResult.GetValue(json))
            {
                FleetStatusFormatter.WriteJson(context.Output, status);
            }
            else
            {
                FleetStatusFormatter.WriteTable(context.Output, status);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
