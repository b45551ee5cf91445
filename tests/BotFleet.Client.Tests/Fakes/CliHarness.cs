using BotFleet.Cli;
using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Client.Tests.Fakes;

/// <summary>Runs <c>botfleet</c> in-process against fakes and captures what it writes.</summary>
internal sealed class CliHarness
{
    private readonly StringWriter _output = new() { NewLine = "\n" };
    private readonly StringWriter _error = new() { NewLine = "\n" };

    public FakeFleetConnector Fleet { get; } = new();

    public FakeJobApiConnector Jobs { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public string Output => _output.ToString();

    public string Error => _error.ToString();

    public Task<int> RunAsync(params string[] args) => StartAsync(args);

    /// <summary>Starts the command without awaiting it, for commands that wait on <see cref="Time"/>.</summary>
    public Task<int> StartAsync(string[] args, CancellationToken cancellationToken = default) =>
        BotFleetCli.RunAsync(args, new CliContext(_output, _error, Fleet, Jobs, Time), cancellationToken);
}
