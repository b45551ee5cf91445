using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet jobs cancel &lt;job-id&gt;</c>: a pending job is cancelled at once, a running one once its bot stops it;
/// prints the job as it is now. Exit 3 for an unknown job; a finished job is the server's 409.
/// </summary>
internal static class JobsCancelCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        JobsGetCommand.OneJob(
            context,
            globals,
            "cancel",
            "Cancel a job: pending ones at once, running ones when their bot stops them (never retried).",
            "The job to cancel.",
            (client, id, ct) => client.CancelJobAsync(id, ct));
}
