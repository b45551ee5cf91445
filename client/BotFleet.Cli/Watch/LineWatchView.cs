using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Watch;

/// <summary>Redirected output: one timestamped line per poll, so a log or a pipe gets each sample and each failure.</summary>
internal sealed class LineWatchView(TextWriter output) : IWatchView
{
    public Task<int> RunAsync(Func<Task<int>> poll) => poll();

    public void Sample(WatchSample sample) => output.WriteLine($"{Text.Time(sample.At)}  {WatchText.Progress(sample)}");

    public void PollFailed(DateTimeOffset at, CliError error, int failuresInARow, int giveUpAfter) =>
        output.WriteLine($"{Text.Time(at)}  {WatchText.PollFailed(error, failuresInARow, giveUpAfter)}");

    public void Drained(WatchSample sample) => output.WriteLine(WatchText.Drained(sample));
}
