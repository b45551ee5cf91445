using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet dead …</c>: the jobs that ran out of attempts — list, requeue, discard.</summary>
internal static class DeadCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("dead", "Jobs that ran out of attempts: list them, put them back in the queue, or delete them.")
        {
            DeadListCommand.Create(context, globals),
            JobControlCommand.Requeue(context, globals),
            JobControlCommand.Discard(context, globals),
        };
}
