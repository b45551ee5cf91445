using BotFleet.Cli;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>
/// Runs <c>botfleet</c> in-process against fakes and captures what it writes. Output is redirected (not interactive),
/// as in a pipe: plain text, exactly comparable; <see cref="Interactive"/> switches on Spectre.Console's terminal
/// rendering over the same captured writer.
/// </summary>
internal sealed class CliHarness
{
    private readonly StringWriter _output = new() { NewLine = "\n" };
    private readonly StringWriter _error = new() { NewLine = "\n" };

    public FakeFleetConnector Fleet { get; } = new();

    public FakeJobApiConnector Jobs { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public Dictionary<string, string> Environment { get; } = [];

    public bool Interactive { get; set; }

    /// <summary>Columns of the interactive console (Spectre assumes 80 for a writer that is not a console).</summary>
    public int? TerminalWidth { get; set; }

    public string Output => _output.ToString();

    public string Error => _error.ToString();

    public Task<int> RunAsync(params string[] args) => StartAsync(args);

    /// <summary>Starts the command without awaiting it, for commands that wait on <see cref="Time"/>.</summary>
    public Task<int> StartAsync(string[] args, CancellationToken cancellationToken = default) =>
        BotFleetCli.RunAsync(
            args,
            new CliContext(_output, _error, Fleet, Jobs, Time, Interactive) { ReadEnvironment = name => Environment.GetValueOrDefault(name), TerminalWidth = TerminalWidth },
            cancellationToken);

    /// <summary>Runs a command that waits on <see cref="Time"/>, advancing the clock by <paramref name="step"/> until it ends.</summary>
    public async Task<int> RunAdvancingAsync(TimeSpan step, params string[] args)
    {
        var run = StartAsync(args, TestContext.Current.CancellationToken);
        while (!run.IsCompleted)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
            Time.Advance(step);
        }

        return await run;
    }
}
