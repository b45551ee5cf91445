using System.CommandLine;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs get &lt;job-id&gt;</c>; exit 3 for an unknown job.</summary>
internal static class JobsGetCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var jobId = new Argument<string>("job-id") { Description = "The id printed by jobs submit." };
        jobId.Validators.Add(result => CliParsers.RequireText(result, "<job-id>"));

        var command = new Command("get", "Show one job: status, attempts, result or error.") { jobId };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var id = parseResult.GetRequiredValue(jobId).Trim();
            var job = await run.WithJobsAsync(client => client.GetJobAsync(id, cancellationToken), cancellationToken)
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
