using System.CommandLine;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet bots pause|resume &lt;bot-key&gt;</c>: sets the bot's assignment on the job server
/// (PUT /v1/bots/{bot_id}/assignment, paused true/false), then wakes the bot so its heartbeat brings the change now
/// rather than within its heartbeat interval.
/// </summary>
internal static class BotsPauseCommand
{
    public static Command Create(CliContext context, GlobalOptions globals, bool pause)
    {
        var botKey = BotsCommand.BotKeyArgument();
        var command = pause
            ? new Command("pause", "Pause a bot: it claims no more jobs; running jobs finish and report.") { botKey }
            : new Command("resume", "Resume a paused bot: it claims jobs again.") { botKey };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetRequiredValue(botKey);
            var (botId, assignment) = await run.WithFleetAsync(
                async fleet =>
                {
                    var bot = await BotLookup.RequireAsync(fleet, key, cancellationToken);
                    // The server knows bots by the id it gave at registration, which only the bot's status carries.
                    var id = bot.BotId ?? throw new CliException(new CliError(
                        ErrorCodes.NotRegistered,
                        $"bot '{key}' has not registered with the job server (state {FleetStatusFormatter.State(bot.State)}); " +
                        $"try again once 'botfleet bots show {key}' shows a bot id.",
                        ExitCodes.Failure));
                    var changed = await run.WithJobsAsync(
                        jobs => jobs.UpdateAssignmentAsync(id, new UpdateAssignmentRequest(Paused: pause), cancellationToken),
                        cancellationToken) ?? throw new CliException(new CliError(
                            ErrorCodes.NotFound,
                            $"the job server at {run.Server} does not know bot '{key}' (bot id {id}); is the silo using another job server?",
                            ExitCodes.NotFound));
                    await fleet.WakeBotAsync(key, cancellationToken);
                    return (id, changed);
                },
                cancellationToken);

            if (run.Json)
            {
                run.WriteJson(new BotChangeResult(
                    key, pause ? "paused" : "resumed", botId, assignment.Paused, assignment.Operations, assignment.MaxConcurrency));
            }
            else
            {
                run.WriteLine(pause
                    ? $"Paused bot {key} ({botId}): it claims no more jobs; running jobs finish and report."
                    : $"Resumed bot {key} ({botId}): it claims jobs again.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
