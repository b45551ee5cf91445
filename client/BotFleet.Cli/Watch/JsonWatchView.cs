using System.Text.Json;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Watch;

/// <summary>--json: one compact JSON object per line (an "event" of sample, poll_failed or drained), for a script to read as it comes.</summary>
internal sealed class JsonWatchView(TextWriter output) : IWatchView
{
    public Task<int> RunAsync(Func<Task<int>> poll) => poll();

    public void Sample(WatchSample sample) => Write(new SampleEvent("sample", sample));

    public void PollFailed(DateTimeOffset at, CliError error, int failuresInARow, int giveUpAfter) =>
        Write(new PollFailedEvent("poll_failed", at, new ErrorBody(error.Code, error.Message), failuresInARow, giveUpAfter));

    public void Drained(WatchSample sample) => Write(new DrainedEvent("drained", sample.At, sample.StrandedCount, sample.Stranded));

    private void Write<T>(T value) => output.WriteLine(JsonSerializer.Serialize(value, CliJson.CompactOptions));

    private sealed record SampleEvent(string Event, WatchSample Sample);

    private sealed record PollFailedEvent(string Event, DateTimeOffset At, ErrorBody Error, int ConsecutiveFailures, int GiveUpAfter);

    private sealed record DrainedEvent(string Event, DateTimeOffset At, long StrandedCount, IReadOnlyDictionary<string, long> Stranded);

    private sealed record ErrorBody(string Code, string Message);
}
