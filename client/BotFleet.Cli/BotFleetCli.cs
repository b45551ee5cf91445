using System.CommandLine;
using BotFleet.Cli.Commands;
using BotFleet.Client;
using BotFleet.JobApi.Client;

namespace BotFleet.Cli;

/// <summary>
/// The <c>botfleet</c> command line: builds the command tree, refuses bad input with exit
/// code 2 before anything is contacted, and turns the expected failures (unreachable silo or
/// job server) into one clear line on stderr and exit code 1.
/// </summary>
internal static class BotFleetCli
{
    public static RootCommand CreateRootCommand(CliContext context, GlobalOptions globals)
    {
        var root = new RootCommand("Operate a BotFleet: the bots on the Orleans silo and the jobs on the job server.");
        globals.AddTo(root);
        root.Subcommands.Add(StatusCommand.Create(context, globals));
        root.Subcommands.Add(BotsCommand.Create(context, globals));
        root.Subcommands.Add(JobsCommand.Create(context, globals));
        root.Subcommands.Add(StatsCommand.Create(context, globals));
        root.Subcommands.Add(WatchCommand.Create(context, globals));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions();
        var parseResult = CreateRootCommand(context, globals).Parse(args);

        // Reported here rather than by System.CommandLine so bad input always exits 2 with the same shape.
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}");
            }

            await context.Error.WriteLineAsync($"See '{CommandPath(parseResult.CommandResult.Command)} --help'.");
            return ExitCodes.BadInput;
        }

        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            // Raised by FleetClient's (or the grain's) check of a bot definition: the input is at fault.
            await context.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (FleetUnavailableException ex)
        {
            await context.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (JobApiException ex) when (ex.StatusCode is null)
        {
            var server = parseResult.GetValue(globals.Server);
            await context.Error.WriteLineAsync($"error: the job server at {server} is unreachable ({ex.Message}). Is it running?");
            return ExitCodes.Failure;
        }
        catch (JobApiException ex)
        {
            await context.Error.WriteLineAsync($"error: {ex.Message}");
            return IsRefusedInput(ex) ? ExitCodes.BadInput : ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("Interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            // Not an expected failure: keep the whole exception, it is what a bug report needs.
            await context.Error.WriteLineAsync($"error: unexpected failure: {ex}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>400/413/422: the server read the request and found it wrong, which is the caller's input.</summary>
    private static bool IsRefusedInput(JobApiException exception) =>
        exception.StatusCode is System.Net.HttpStatusCode.BadRequest
            or System.Net.HttpStatusCode.RequestEntityTooLarge
            or System.Net.HttpStatusCode.UnprocessableEntity;

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(current is RootCommand ? "botfleet" : current.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
