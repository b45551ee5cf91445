using System.CommandLine;
using BotFleet.Cli.Commands;
using BotFleet.Cli.Connections;
using BotFleet.Cli.Errors;

namespace BotFleet.Cli;

/// <summary>
/// The <c>botfleet</c> command line: builds the command tree, refuses bad input with exit code 2 before anything is
/// contacted, and turns every failure into one clear message (JSON on stdout with --json) and its own exit code
/// (<see cref="ExitCodes"/>).
/// </summary>
internal static class BotFleetCli
{
    public static RootCommand CreateRootCommand(CliContext context, GlobalOptions globals)
    {
        var root = new RootCommand("Operate a BotFleet: the bots on the Orleans silo and the jobs on the job server.");
        globals.AddTo(root);
        root.Subcommands.Add(StatusCommand.Create(context, globals));
        root.Subcommands.Add(BotsCommand.Create(context, globals));
        root.Subcommands.Add(OutboxCommand.Create(context, globals));
        root.Subcommands.Add(JobsCommand.Create(context, globals));
        root.Subcommands.Add(DeadCommand.Create(context, globals));
        root.Subcommands.Add(StatsCommand.Create(context, globals));
        root.Subcommands.Add(WatchCommand.Create(context, globals));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions();
        var parseResult = CreateRootCommand(context, globals).Parse(args);
        var json = WantsJson(parseResult, globals, args);

        // Reported here rather than by System.CommandLine so bad input always exits 2 with the same shape.
        if (parseResult.Errors.Count > 0)
        {
            var messages = parseResult.Errors.Select(error => error.Message).ToList();
            if (json)
            {
                return await ErrorWriter.WriteAsync(context, new CliError(ErrorCodes.Usage, string.Join(" ", messages), ExitCodes.BadInput), json: true);
            }

            foreach (var message in messages)
            {
                await context.Error.WriteLineAsync($"error: {message}");
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
        catch (Exception ex)
        {
            var server = parseResult.GetValue(globals.Server);
            var apiKeyGiven = ApiKeys.Resolve(parseResult.GetValue(globals.ApiKey), context.ReadEnvironment) is not null;
            return await ErrorWriter.WriteAsync(context, ErrorTranslator.Translate(ex, server, apiKeyGiven), json);
        }
    }

    private static bool WantsJson(ParseResult parseResult, GlobalOptions globals, string[] args)
    {
        try
        {
            return parseResult.GetValue(globals.Json);
        }
        catch (InvalidOperationException)
        {
            // A command line too broken to bind still gets its errors as JSON when it asked for them.
            return args.Contains("--json", StringComparer.Ordinal);
        }
    }

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
