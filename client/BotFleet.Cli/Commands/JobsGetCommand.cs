using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs get &lt;job-id&gt; [--json]</c>.</summary>
internal static class JobsGetCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var jobId = new Argument<string>("job-id") { Description = "The id printed by jobs submit." };
        jobId.Validators.Add(result => CliParsers.RequireText(result, "<job-id>"));
        var json = new Option<bool>("--json") { Description = "Write the job as JSON." };

        var command = new Command("get", "Show one job: status, attempts, result or error.") { jobId, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetRequiredValue(jobId).Trim();
            var job = await context.Jobs.UseAsync(
                parseResult.GetRequiredValue(globals.Server),
                client => client.GetJobAsync(id, cancellationToken),
                cancellationToken);

            if (job is null)
            {
                await context.Error.WriteLineAsync($"error: job {id} was not found.");
                return ExitCodes.Failure;
            }

            if (parseResult.GetValue(json))
            {
                JobFormatter.WriteJson(context.Output, job);
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
