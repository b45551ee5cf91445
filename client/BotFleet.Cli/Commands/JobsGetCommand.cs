using System.CommandLine;
using BotFleet.Cli.Connections;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs get &lt;job-id&gt;</c>; exit 3 for an unknown job.</summary>
internal static class JobsGetCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        OneJob(context, globals, "get", "Show one job: status, attempts, result or error, progress.", "The id printed by jobs submit.", (client, id, ct) => client.GetJobAsync(id, ct));

    /// <summary>A command that names one job, asks the server something about it, and prints the job it answers (exit 3 when unknown).</summary>
    internal static Command OneJob(
        CliContext context, GlobalOptions globals, string name, string description, string jobIdDescription, Func<IJobServerClient, string, CancellationToken, Task<JobView?>> call)
    {
        var jobId = new Argument<string>("job-id") { Description = jobIdDescription };
        jobId.Validators.Add(result => CliParsers.RequireText(result, "<job-id>"));

        var command = new Command(name, description) { jobId };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var id = parseResult.GetRequiredValue(jobId).Trim();
            var job = await run.WithJobsAsync(client => call(client, id, cancellationToken), cancellationToken)
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
