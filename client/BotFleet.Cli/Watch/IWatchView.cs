using BotFleet.Cli.Errors;

namespace BotFleet.Cli.Watch;

/// <summary>Where <c>watch</c> shows what it sees: a live progress bar, text lines, or JSON lines.</summary>
internal interface IWatchView
{
    /// <summary>Runs the polling loop inside whatever the view needs around it (the live display).</summary>
    Task<int> RunAsync(Func<Task<int>> poll);

    void Sample(WatchSample sample);

    /// <param name="giveUpAfter">Failures in a row that end the watch; 0 for never.</param>
    void PollFailed(DateTimeOffset at, CliError error, int failuresInARow, int giveUpAfter);

    void Drained(WatchSample sample);
}
