using System.CommandLine;
using BotFleet.Cli.Connections;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Watch;
using BotFleet.Client;
using BotFleet.Contracts.Bots;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet watch [--interval 1s] [--until-drained] [--max-failures 30]</c>: progress, rate and ETA every interval
/// until Ctrl+C (exit 0). A failed poll is shown and the watch goes on; only <c>--max-failures</c> failures in a row end
/// it. With --until-drained it ends once nothing is leased and no pending job is of an operation some running bot
/// offers: exit 0 when nothing is left, 6 when jobs are left that no running bot offers (stranded).
/// </summary>
internal static class WatchCommand
{
    public const int DefaultMaxFailures = 30;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "Time between samples, such as 500ms, 2s or 1m.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
            CustomParser = CliParsers.ParseInterval,
            HelpName = "duration",
        };
        var untilDrained = new Option<bool>("--until-drained")
        {
            Description = "End once no job is leased and no pending job is of an operation a running bot offers (exit 6 if some are stranded).",
        };
        var maxFailures = new Option<int>("--max-failures")
        {
            Description = $"Failed polls in a row after which the watch gives up (0: never). Default {DefaultMaxFailures}.",
            DefaultValueFactory = _ => DefaultMaxFailures,
            HelpName = "n",
        };
        maxFailures.Validators.Add(result => CliParsers.RequireRange(result, maxFailures, 0, 1_000_000));

        var command = new Command("watch", "Show progress, rate and ETA of the jobs until Ctrl+C (or until drained).") { interval, untilDrained, maxFailures };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var settings = new WatchSettings(parseResult.GetValue(interval), parseResult.GetValue(untilDrained), parseResult.GetValue(maxFailures));
            IWatchView view = run.Json
                ? new JsonWatchView(context.Output)
                : context.Interactive ? new LiveWatchView(context.Terminal) : new LineWatchView(context.Output);
            try
            {
                return await run.WithJobsAsync(
                    jobs => settings.UntilDrained
                        // Which operations the running bots offer is the silo's to say; only --until-drained needs it.
                        ? run.WithFleetAsync(fleet => view.RunAsync(() => PollAsync(run, jobs, fleet, settings, view, cancellationToken)), cancellationToken)
                        : view.RunAsync(() => PollAsync(run, jobs, fleet: null, settings, view, cancellationToken)),
                    cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a watch normally ends.
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static async Task<int> PollAsync(
        CommandRun run, IJobServerClient jobs, IFleetClient? fleet, WatchSettings settings, IWatchView view, CancellationToken cancellationToken)
    {
        var time = run.Context.Time;
        var tracker = new WatchTracker();
        IReadOnlySet<string>? offered = null;
        var failures = 0;
        while (true)
        {
            try
            {
                var stats = await jobs.GetStatsAsync(cancellationToken);
                // The roster costs a call to every bot: asked at the start, and whenever pending jobs wait with none
                // leased, which is exactly when stranded jobs would keep the watch from ending.
                if (fleet is not null && (offered is null || (stats.Jobs.Leased == 0 && stats.Jobs.Pending > 0)))
                {
                    offered = OfferedOperations(await fleet.GetFleetStatusAsync(cancellationToken));
                }

                failures = 0;
                var sample = tracker.Observe(time.GetUtcNow(), stats, offered);
                view.Sample(sample);
                if (settings.UntilDrained && sample.Drained)
                {
                    view.Drained(sample);
                    return sample.StrandedCount > 0 ? ExitCodes.Stranded : ExitCodes.Success;
                }
            }
            catch (Exception ex) when (ErrorTranslator.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                failures++;
                var error = ErrorTranslator.Translate(ex, run.Server, run.ApiKey is not null);
                view.PollFailed(time.GetUtcNow(), error, failures, settings.MaxFailures);
                if (settings.MaxFailures > 0 && failures >= settings.MaxFailures)
                {
                    throw new CliException(error with { Message = $"watch gave up after {failures} failed polls in a row: {error.Message}" });
                }
            }

            await Task.Delay(settings.Interval, time, cancellationToken);
        }
    }

    /// <summary>What the bots that will claim offer: paused, stopped and draining bots take nothing.</summary>
    private static HashSet<string> OfferedOperations(Contracts.Fleet.FleetStatus status) =>
        status.Bots
            .Where(bot => bot.State is BotState.Active or BotState.Degraded or BotState.Registering)
            .SelectMany(bot => bot.Operations)
            .ToHashSet(StringComparer.Ordinal);

    private sealed record WatchSettings(TimeSpan Interval, bool UntilDrained, int MaxFailures);
}
