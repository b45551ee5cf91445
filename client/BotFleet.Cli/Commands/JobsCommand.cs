using System.CommandLine;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs …</c>: submit, list, get, cancel and requeue.</summary>
internal static class JobsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("jobs", "Submit, list, inspect, cancel and requeue jobs on the job server.")
        {
            JobsSubmitCommand.Create(context, globals),
            JobsListCommand.Create(context, globals),
            JobsGetCommand.Create(context, globals),
            JobsCancelCommand.Create(context, globals),
            JobControlCommand.Requeue(context, globals),
        };

    /// <summary>Job statuses as the job API names them.</summary>
    public static readonly string[] Statuses = [.. JobStatuses.All];
}
