using System.CommandLine;
using BotFleet.Cli.Output;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet dead requeue|discard</c> (and <c>jobs requeue</c>): the named dead jobs, or <c>--all</c> of them (of
/// <c>--op</c>). Exit 0 when every named job was acted on, 3 when one is unknown, 1 when one is not dead.
/// </summary>
internal static class JobControlCommand
{
    public static Command Requeue(CliContext context, GlobalOptions globals) =>
        Create(context, globals, "requeue", "Put dead jobs back in the queue with more attempts (their history is kept).", "Requeued", requeue: true);

    public static Command Discard(CliContext context, GlobalOptions globals) =>
        Create(context, globals, "discard", "Delete dead jobs and their attempts.", "Discarded", requeue: false);

    private static Command Create(CliContext context, GlobalOptions globals, string name, string description, string done, bool requeue)
    {
        var ids = new Argument<string[]>("job-id") { Description = "Dead jobs to act on (up to 1000).", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Every dead job (of --op when given) instead of named ones." };
        var op = new Option<string?>("--op") { Description = "With --all: only dead jobs of this operation.", HelpName = "name" };
        op.Validators.Add(result => CliParsers.RequireText(result, "--op"));
        var attempts = new Option<int?>("--attempts") { Description = "More attempts each job gets (1..100; default: the server's JobServer:DefaultMaxAttempts).", HelpName = "n" };

        var command = new Command(name, description) { ids, all, op };
        if (requeue)
        {
            command.Options.Add(attempts);
        }

        command.Validators.Add(result =>
        {
            var named = result.GetValue(ids) ?? [];
            var everything = result.GetValue(all);
            if (named.Length > 0 == everything)
            {
                result.AddError("Name the jobs (job ids) or give --all, not both.");
            }
            else if (!everything && result.GetResult(op) is not null)
            {
                result.AddError("--op filters --all only.");
            }
            else if (named.Length > JobPageOptions.MaxLimit)
            {
                result.AddError($"At most {JobPageOptions.MaxLimit} job ids at once; use --all for more.");
            }

            if (result.GetValue(attempts) is { } n && (n < 1 || n > 100))
            {
                result.AddError("--attempts must be from 1 to 100.");
            }
        });

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var named = (parseResult.GetValue(ids) ?? []).Select(id => id.Trim()).ToList();
            var request = named.Count > 0
                ? new JobSelectionRequest(JobIds: named, Attempts: parseResult.GetValue(attempts))
                : new JobSelectionRequest(All: true, Op: parseResult.GetValue(op)?.Trim(), Attempts: parseResult.GetValue(attempts));
            var answer = await run.WithJobsAsync(
                client => requeue ? client.RequeueJobsAsync(request, cancellationToken) : client.DiscardJobsAsync(request, cancellationToken),
                cancellationToken);
            var results = answer.Results ?? [];
            if (run.Json)
            {
                run.WriteJson(answer);
            }
            else
            {
                foreach (var refused in results.Where(r => r.Status is JobControlStatuses.NotFound or JobControlStatuses.Conflict))
                {
                    run.WriteLine(refused.Status == JobControlStatuses.NotFound
                        ? $"{refused.JobId}: not found"
                        : $"{refused.JobId}: is {refused.CurrentStatus}, not dead; left as it is");
                }

                run.WriteLine(named.Count > 0
                    ? $"{done} {Text.Number(answer.Count)} of {Text.Number(results.Count)} {Jobs(results.Count)}."
                    : $"{done} {Text.Number(answer.Count)} dead {Jobs(answer.Count)}{(request.Op is { } only ? $" of {only}" : string.Empty)}.");
            }

            return results.Any(r => r.Status == JobControlStatuses.NotFound) ? ExitCodes.NotFound
                : results.Any(r => r.Status == JobControlStatuses.Conflict) ? ExitCodes.Failure
                : ExitCodes.Success;
        });
        return command;
    }

    private static string Jobs(long count) => count == 1 ? "job" : "jobs";
}
