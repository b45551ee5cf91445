using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet status [bot-key]</c>: every enrolled bot from the fleet grain, or one known bot (exit 3 for an unknown key).</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = new Argument<string?>("bot-key") { Description = "Show only this bot.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show every enrolled bot (or one): state, load, outbox and counters.") { botKey };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetValue(botKey);
            var status = await run.WithFleetAsync(
                async fleet => key is null
                    ? await fleet.GetFleetStatusAsync(cancellationToken)
                    : new FleetStatus { Bots = [await BotLookup.RequireAsync(fleet, key, cancellationToken)], TakenAt = context.Time.GetUtcNow() },
                cancellationToken);

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
