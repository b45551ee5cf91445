using System.CommandLine;

namespace BotFleet.Cli.Commands;

/// <summary><c>botfleet jobs …</c>: the group holding submit and get.</summary>
internal static class JobsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("jobs", "Submit and inspect jobs on the job server.")
        {
            JobsSubmitCommand.Create(context, globals),
            JobsGetCommand.Create(context, globals),
        };
}
