using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet status [--json]</c>: every enrolled bot, from the fleet grain.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Write the status as JSON." };
        var command = new Command("status", "Show every enrolled bot: state, load, outbox and counters.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var status = await context.Fleet.UseAsync(
                parseResult.GetValue(globals.GatewayPort),
                client => client.GetFleetStatusAsync(cancellationToken),
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
