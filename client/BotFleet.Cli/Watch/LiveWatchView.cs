using BotFleet.Cli.Errors;
using Spectre.Console;

namespace BotFleet.Cli.Watch;

/// <summary>
/// A terminal: Spectre.Console's live progress bar (jobs done of the total since the watch started) with the rate and
/// ETA beside it; a failed poll shows in red on the line below and clears at the next good one.
/// </summary>
internal sealed class LiveWatchView(IAnsiConsole console) : IWatchView
{
    private ProgressTask? _progress;
    private ProgressTask? _status;

    public Task<int> RunAsync(Func<Task<int>> poll) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .StartAsync(async context =>
            {
                _progress = context.AddTask("waiting for the first sample…", maxValue: 1);
                // A row without a bar of its own, for the counts and the last failure.
                _status = context.AddTask("…", autoStart: false, maxValue: 1);
                return await poll();
            });

    public void Sample(WatchSample sample)
    {
        if (_progress is null || _status is null)
        {
            return;
        }

        _progress.MaxValue = Math.Max(1, sample.Total);
        _progress.Value = sample.Total == 0 ? 1 : sample.Done;
        _progress.Description = Markup.Escape(
            $"{sample.Done}/{sample.Total} jobs  {WatchText.Rate(sample.JobsPerSecond)}  ETA {WatchText.Eta(sample.EtaSeconds)}");
        var stranded = sample.StrandedCount > 0 ? $"  [yellow]stranded {sample.StrandedCount}[/]" : string.Empty;
        _status.Description =
            $"pending {sample.Pending}  leased {sample.Leased}  completed {sample.Completed}  dead {sample.Dead}  bots {sample.BotsActive}/{sample.BotsRegistered}{stranded}";
    }

    public void PollFailed(DateTimeOffset at, CliError error, int failuresInARow, int giveUpAfter)
    {
        if (_status is not null)
        {
            _status.Description = $"[red]{Markup.Escape(WatchText.PollFailed(error, failuresInARow, giveUpAfter))}[/]";
        }
    }

    public void Drained(WatchSample sample)
    {
        if (_progress is not null)
        {
            _progress.Value = _progress.MaxValue;
            _progress.StopTask();
        }

        if (_status is not null)
        {
            _status.Description = Markup.Escape(WatchText.Drained(sample));
        }
    }
}
