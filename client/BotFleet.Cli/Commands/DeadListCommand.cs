using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet dead list [--op o] [--limit n] [--cursor c]</c>: dead jobs with their last error, oldest first.</summary>
internal static class DeadListCommand
{
    /// <summary>How much of a job's last error a table row shows (<c>jobs get</c> shows all of it).</summary>
    private const int ErrorWidth = 60;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var page = new JobPageOptions("dead jobs");

        var command = new Command("list", "List dead jobs, oldest first, with their last error.");
        foreach (var option in page.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var query = page.Query(parseResult, JobStatuses.Dead);
            var jobs = await run.WithJobsAsync(client => client.ListJobsAsync(query, cancellationToken), cancellationToken);
            if (run.Json)
            {
                run.WriteJson(jobs);
                return ExitCodes.Success;
            }

            var table = new TextTable(
                new TextColumn("ID"),
                new TextColumn("OP"),
                new TextColumn("ATTEMPTS", AlignRight: true),
                new TextColumn("DIED"),
                new TextColumn("LAST ERROR"));
            foreach (var job in jobs.Jobs)
            {
                table.AddRow(job.Id, job.Op, Text.Number(job.Attempt), Text.Time(job.UpdatedAt), Text.OneLine(job.Error, ErrorWidth));
            }

            if (jobs.Jobs.Count > 0)
            {
                run.WriteTable(table);
            }

            run.WriteLine(JobPageOptions.Footer(jobs, "dead job"));
            return ExitCodes.Success;
        });
        return command;
    }
}
