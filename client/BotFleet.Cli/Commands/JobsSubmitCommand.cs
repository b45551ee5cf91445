using System.CommandLine;
using System.Text.Json;
using BotFleet.JobApi.Wire;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs submit --op sum --payload '{"a":1,"b":2}' [--count N] [--priority normal]</c>; prints one id per line.</summary>
internal static class JobsSubmitCommand
{
    public const int MaxCount = 100_000;

    /// <summary>The job API accepts at most this many jobs per request; larger counts go in several.</summary>
    public const int BatchLimit = 1_000;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var op = new Option<string>("--op") { Description = "The operation to run (for example sum).", Required = true, HelpName = "name" };
        op.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--op must not be empty.");
            }
        });
        var payload = new Option<JsonElement>("--payload")
        {
            Description = "The job's input, a JSON object.",
            Required = true,
            CustomParser = CliParsers.ParsePayload,
            HelpName = "json",
        };
        var count = new Option<int>("--count")
        {
            Description = $"How many identical jobs to submit (1..{MaxCount}).",
            DefaultValueFactory = _ => 1,
            HelpName = "n",
        };
        count.Validators.Add(result => CliParsers.RequireRange(result, count, 1, MaxCount));
        var priority = new Option<string>("--priority") { Description = "Scheduling priority.", DefaultValueFactory = _ => "normal" };
        priority.AcceptOnlyFromAmong(JobPriorities);

        var command = new Command("submit", "Submit jobs and print their ids, one per line.") { op, payload, count, priority };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var job = new SubmitJobRequest(
                parseResult.GetRequiredValue(op).Trim(),
                parseResult.GetRequiredValue(payload),
                parseResult.GetValue(priority));
            var total = parseResult.GetValue(count);

            var ids = await context.Jobs.UseAsync(
                parseResult.GetRequiredValue(globals.Server),
                async client =>
                {
                    if (total == 1)
                    {
                        return await client.SubmitAsync(job, cancellationToken);
                    }

                    var all = new List<string>(total);
                    for (var submitted = 0; submitted < total; submitted += BatchLimit)
                    {
                        var batch = Enumerable.Repeat(job, Math.Min(BatchLimit, total - submitted)).ToList();
                        all.AddRange(await client.SubmitBatchAsync(batch, cancellationToken));
                    }

                    return all;
                },
                cancellationToken);

            foreach (var id in ids)
            {
                await context.Output.WriteLineAsync(id);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly string[] JobPriorities = ["high", "normal", "low"];
}
