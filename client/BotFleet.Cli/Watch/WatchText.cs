using System.Globalization;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Watch;

/// <summary>The sentences <c>watch</c> prints, shared by the line and the live views.</summary>
internal static class WatchText
{
    public static string Progress(WatchSample s)
    {
        var percent = s.Total == 0 ? 100 : 100.0 * s.Done / s.Total;
        var line = $"done {Text.Number(s.Done)}/{Text.Number(s.Total)} ({percent.ToString("0.0", CultureInfo.InvariantCulture)}%)  " +
            $"pending {Text.Number(s.Pending)}  leased {Text.Number(s.Leased)}  completed {Text.Number(s.Completed)}  dead {Text.Number(s.Dead)}  " +
            $"rate {Rate(s.JobsPerSecond)}  eta {Eta(s.EtaSeconds)}  bots {Text.Number(s.BotsActive)}/{Text.Number(s.BotsRegistered)}";
        return s.StrandedCount > 0 ? $"{line}  stranded {Text.Number(s.StrandedCount)}" : line;
    }

    public static string PollFailed(CliError error, int failuresInARow, int giveUpAfter) =>
        $"poll failed ({failuresInARow} in a row{(giveUpAfter > 0 ? $", giving up at {giveUpAfter}" : string.Empty)}): {error.Message}";

    public static string Drained(WatchSample s) => s.StrandedCount == 0
        ? "Drained: nothing pending or leased."
        : $"Drained, but {Text.Number(s.StrandedCount)} {(s.StrandedCount == 1 ? "job is" : "jobs are")} stranded: no running bot offers " +
          string.Join(", ", s.Stranded.Select(pair => $"{pair.Key} ({Text.Number(pair.Value)})")) + ".";

    public static string Rate(double? jobsPerSecond) =>
        jobsPerSecond is { } rate ? $"{rate.ToString("0.0", CultureInfo.InvariantCulture)} jobs/s" : Text.None;

    public static string Eta(double? seconds)
    {
        if (seconds is not { } value)
        {
            return Text.None;
        }

        var eta = TimeSpan.FromSeconds(Math.Ceiling(value));
        return eta.TotalHours >= 1
            ? eta.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : eta.TotalMinutes >= 1 ? eta.ToString(@"m\:ss", CultureInfo.InvariantCulture) : $"{eta.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s";
    }
}
