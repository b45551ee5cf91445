using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet jobs submit --op sum --payload '{"a":1,"b":2}' [--count N] [--priority normal] [--ids]</c>: prints a
/// summary (count, first and last id, elapsed, rate), or with --ids one id per line.
/// </summary>
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
        var ids = new Option<bool>("--ids") { Description = "Print every job id (one per line; with --json in an \"ids\" array) instead of only the first and last." };

        var command = new Command("submit", "Submit jobs and print a summary (every id with --ids).") { op, payload, count, priority, ids };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var job = new SubmitJobRequest(
                parseResult.GetRequiredValue(op).Trim(),
                parseResult.GetRequiredValue(payload),
                parseResult.GetValue(priority));
            var total = parseResult.GetValue(count);

            var started = context.Time.GetTimestamp();
            var submitted = await run.WithJobsAsync(client => SubmitAsync(client, job, total, cancellationToken), cancellationToken);
            var elapsed = context.Time.GetElapsedTime(started);
            var rate = elapsed > TimeSpan.Zero ? submitted.Count / elapsed.TotalSeconds : (double?)null;
            var listIds = parseResult.GetValue(ids);

            if (run.Json)
            {
                run.WriteJson(new SubmitSummary(
                    submitted.Count, job.Op, submitted[0], submitted[^1], Math.Round(elapsed.TotalMilliseconds, 1),
                    rate is { } r ? Math.Round(r, 1) : null, listIds ? submitted : null));
            }
            else if (listIds)
            {
                foreach (var id in submitted)
                {
                    run.WriteLine(id);
                }
            }
            else
            {
                run.WriteLine(Summary(job.Op, submitted, elapsed, rate));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<IReadOnlyList<string>> SubmitAsync(IJobProducerClient client, SubmitJobRequest job, int total, CancellationToken cancellationToken)
    {
        if (total == 1)
        {
            return await client.SubmitAsync(job, cancellationToken);
        }

        var all = new List<string>(total);
        try
        {
            for (var submitted = 0; submitted < total; submitted += BatchLimit)
            {
                var batch = Enumerable.Repeat(job, Math.Min(BatchLimit, total - submitted)).ToList();
                all.AddRange(await client.SubmitBatchAsync(batch, cancellationToken));
            }
        }
        catch (JobApiException ex) when (all.Count > 0)
        {
            // The batches already taken are real jobs: say which, so a retry does not blindly submit them twice.
            throw new JobApiException(
                $"{ex.Message} ({all.Count} of {total} jobs were submitted before this failure: {all[0]} … {all[^1]})",
                ex.StatusCode, ex.IsTransient, ex.RetryAfter, ex);
        }

        return all;
    }

    private static string Summary(string op, IReadOnlyList<string> ids, TimeSpan elapsed, double? rate)
    {
        var seconds = elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var speed = rate is { } r ? $", {r.ToString("0", CultureInfo.InvariantCulture)} jobs/s" : string.Empty;
        return ids.Count == 1
            ? $"Submitted 1 {op} job in {seconds} s: {ids[0]}"
            : $"Submitted {Text.Number(ids.Count)} {op} jobs in {seconds} s{speed}: {ids[0]} … {ids[^1]} (--ids lists them all)";
    }

    private static readonly string[] JobPriorities = ["high", "normal", "low"];
}
