using BotFleet.Cli.Connections;
using Spectre.Console;

namespace BotFleet.Cli;

/// <summary>Everything a command touches outside itself, so tests can run commands without a console or network.</summary>
/// <param name="Interactive">
/// Standard output is a terminal: tables get Spectre.Console's borders and <c>watch</c> a live progress bar. Redirected
/// output (a pipe, a file, a test) gets plain text that diffs and greps cleanly, one line per update.
/// </param>
internal sealed record CliContext(
    TextWriter Output,
    TextWriter Error,
    IFleetConnector Fleet,
    IJobApiConnector Jobs,
    TimeProvider Time,
    bool Interactive = false)
{
    private IAnsiConsole? _terminal;

    /// <summary>Reads environment variables (BOTFLEET_API_KEY); tests give their own.</summary>
    public Func<string, string?> ReadEnvironment { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Columns of <see cref="Terminal"/>; null asks the console (tests set it: a captured writer has no width).</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>Spectre.Console over <see cref="Output"/>: colours and live rendering only when <see cref="Interactive"/>.</summary>
    public IAnsiConsole Terminal => _terminal ??= CreateTerminal();

    private IAnsiConsole CreateTerminal()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Output),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (TerminalWidth is { } width)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    public static CliContext CreateDefault() =>
        new(Console.Out, Console.Error, new OrleansFleetConnector(), new HttpJobApiConnector(), TimeProvider.System, Interactive: !Console.IsOutputRedirected);
}
