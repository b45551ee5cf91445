using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs list [--status s] [--op o] [--limit n] [--cursor c]</c>: one page of GET /v1/jobs, oldest first.</summary>
internal static class JobsListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var status = new Option<string?>("--status") { Description = "Only jobs in this status.", HelpName = "status" };
        status.AcceptOnlyFromAmong(JobsCommand.Statuses);
        var page = new JobPageOptions("jobs");

        var command = new Command("list", "List jobs, oldest first, a page at a time (follow the printed --cursor).") { status };
        foreach (var option in page.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var query = page.Query(parseResult, parseResult.GetValue(status));
            var jobs = await run.WithJobsAsync(client => client.ListJobsAsync(query, cancellationToken), cancellationToken);

            if (run.Json)
            {
                run.WriteJson(jobs);
                return ExitCodes.Success;
            }

            var table = new TextTable(
                new TextColumn("ID"),
                new TextColumn("OP"),
                new TextColumn("STATUS"),
                new TextColumn("PRIORITY"),
                new TextColumn("ATTEMPT", AlignRight: true),
                new TextColumn("CREATED"),
                new TextColumn("UPDATED"));
            foreach (var job in jobs.Jobs)
            {
                table.AddRow(
                    job.Id, job.Op, job.Status, job.Priority, $"{Text.Number(job.Attempt)}/{Text.Number(job.MaxAttempts)}",
                    Text.Time(job.CreatedAt), Text.Time(job.UpdatedAt));
            }

            if (jobs.Jobs.Count > 0)
            {
                run.WriteTable(table);
            }

            run.WriteLine(JobPageOptions.Footer(jobs, "job"));
            return ExitCodes.Success;
        });
        return command;
    }
}
