using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet dead list [--op o] [--limit n] [--cursor c]</c>: dead jobs with their last error, oldest first.</summary>
internal static class DeadListCommand
{
    /// <summary>How much of a job's last error a table row shows (<c>jobs get</c> shows all of it).</summary>
    private const int ErrorWidth = 60;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var op = new Option<string?>("--op") { Description = "Only dead jobs of this operation.", HelpName = "name" };
        op.Validators.Add(result => CliParsers.RequireText(result, "--op"));
        var limit = new Option<int>("--limit") { Description = $"Jobs per page (1..{JobsListCommand.MaxLimit}).", DefaultValueFactory = _ => 100, HelpName = "n" };
        limit.Validators.Add(result => CliParsers.RequireRange(result, limit, 1, JobsListCommand.MaxLimit));
        var cursor = new Option<string?>("--cursor") { Description = "Continue after the page that printed this cursor.", HelpName = "cursor" };
        cursor.Validators.Add(result => CliParsers.RequireText(result, "--cursor"));

        var command = new Command("list", "List dead jobs, oldest first, with their last error.") { op, limit, cursor };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var query = new JobListQuery(JobStatuses.Dead, parseResult.GetValue(op)?.Trim(), parseResult.GetValue(limit), parseResult.GetValue(cursor)?.Trim());
            var page = await run.WithJobsAsync(client => client.ListJobsAsync(query, cancellationToken), cancellationToken);
            if (run.Json)
            {
                run.WriteJson(page);
                return ExitCodes.Success;
            }

            var table = new TextTable(
                new TextColumn("ID"),
                new TextColumn("OP"),
                new TextColumn("ATTEMPTS", AlignRight: true),
                new TextColumn("DIED"),
                new TextColumn("LAST ERROR"));
            foreach (var job in page.Jobs)
            {
                table.AddRow(job.Id, job.Op, Text.Number(job.Attempt), Text.Time(job.UpdatedAt), Text.OneLine(job.Error, ErrorWidth));
            }

            if (page.Jobs.Count > 0)
            {
                run.WriteTable(table);
            }

            var count = $"{Text.Number(page.Jobs.Count)} dead {(page.Jobs.Count == 1 ? "job" : "jobs")}";
            run.WriteLine(page.Cursor is { } next ? $"{count}; next page: --cursor {next}" : $"{count}; no more pages.");
            return ExitCodes.Success;
        });
        return command;
    }
}
