using System.CommandLine;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet jobs cancel &lt;job-id&gt;</c>: a pending job is cancelled at once, a running one once its bot stops it;
/// prints the job as it is now. Exit 3 for an unknown job; a finished job is the server's 409.
/// </summary>
internal static class JobsCancelCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var jobId = new Argument<string>("job-id") { Description = "The job to cancel." };
        jobId.Validators.Add(result => CliParsers.RequireText(result, "<job-id>"));

        var command = new Command("cancel", "Cancel a job: pending ones at once, running ones when their bot stops them (never retried).") { jobId };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var id = parseResult.GetRequiredValue(jobId).Trim();
            var job = await run.WithJobsAsync(client => client.CancelJobAsync(id, cancellationToken), cancellationToken)
                ?? throw CliException.JobNotFound(id);

            if (run.Json)
            {
                run.WriteJson(job);
            }
            else
            {
                JobFormatter.WriteText(context.Output, job);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
