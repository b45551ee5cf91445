using System.CommandLine;
using BotFleet.JobApi.Client;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs list [--status s] [--op o] [--limit n] [--cursor c]</c>: one page of GET /v1/jobs, oldest first.</summary>
internal static class JobsListCommand
{
    /// <summary>The job API's largest page.</summary>
    public const int MaxLimit = 1_000;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var status = new Option<string?>("--status") { Description = "Only jobs in this status.", HelpName = "status" };
        status.AcceptOnlyFromAmong(JobsCommand.Statuses);
        var op = new Option<string?>("--op") { Description = "Only jobs of this operation.", HelpName = "name" };
        op.Validators.Add(result => CliParsers.RequireText(result, "--op"));
        var limit = new Option<int>("--limit")
        {
            Description = $"Jobs per page (1..{MaxLimit}).",
            DefaultValueFactory = _ => 100,
            HelpName = "n",
        };
        limit.Validators.Add(result => CliParsers.RequireRange(result, limit, 1, MaxLimit));
        var cursor = new Option<string?>("--cursor") { Description = "Continue after the page that printed this cursor.", HelpName = "cursor" };
        cursor.Validators.Add(result => CliParsers.RequireText(result, "--cursor"));

        var command = new Command("list", "List jobs, oldest first, a page at a time (follow the printed --cursor).") { status, op, limit, cursor };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var query = new JobListQuery(
                parseResult.GetValue(status),
                parseResult.GetValue(op)?.Trim(),
                parseResult.GetValue(limit),
                parseResult.GetValue(cursor)?.Trim());
            var page = await run.WithJobsAsync(client => client.ListJobsAsync(query, cancellationToken), cancellationToken);

            if (run.Json)
            {
                run.WriteJson(page);
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
            foreach (var job in page.Jobs)
            {
                table.AddRow(
                    job.Id, job.Op, job.Status, job.Priority, $"{Text.Number(job.Attempt)}/{Text.Number(job.MaxAttempts)}",
                    Text.Time(job.CreatedAt), Text.Time(job.UpdatedAt));
            }

            if (page.Jobs.Count > 0)
            {
                run.WriteTable(table);
            }

            var count = $"{Text.Number(page.Jobs.Count)} {(page.Jobs.Count == 1 ? "job" : "jobs")}";
            run.WriteLine(page.Cursor is { } next ? $"{count}; next page: --cursor {next}" : $"{count}; no more pages.");
            return ExitCodes.Success;
        });
        return command;
    }
}
