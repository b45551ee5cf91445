using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Execution;

namespace BotFleet.Scheduling.Registry;

/// <summary>The job a handler is asked to run.</summary>
public sealed record JobContext(string JobId, string Op, JsonElement Payload, int Attempt)
{
    /// <summary>The longest progress message kept; longer ones are cut.</summary>
    public const int MaxProgressMessageLength = JobProgress.MaxMessageLength;

    internal RunningJobEntry? Running { get; init; }

    /// <summary>
    /// Says how far the job is: <paramref name="percent"/> from 0 to 100 and an optional short message. The bot's next
    /// heartbeat carries the latest report to the server, where the job's view, the console and the CLI show it.
    /// </summary>
    public void ReportProgress(double percent, string? message = null)
    {
        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "Progress is a percentage from 0 to 100.");
        }

        if (Running is { } running)
        {
            running.Progress = new JobProgress(percent, message is { Length: > MaxProgressMessageLength } ? message[..MaxProgressMessageLength] : message);
        }
    }
}
