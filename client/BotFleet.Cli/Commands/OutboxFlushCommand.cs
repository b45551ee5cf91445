using System.CommandLine;
using BotFleet.Cli.Errors;
using BotFleet.Cli.Output;
using BotFleet.Client;
using BotFleet.Contracts.Bots;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet outbox flush [bot-key] [--timeout 30s]</c>: wakes each bot holding reports (a tick delivers its outbox
/// first, in order) and waits until they are delivered. Exit 0 when every outbox is empty, 1 when some remain.
/// </summary>
internal static class OutboxFlushCommand
{
    /// <summary>How often the bots' outboxes are read while waiting.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var botKey = OutboxCommand.OptionalBotKeyArgument("Flush only this bot's outbox (default: every bot holding reports).");
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for the reports to be delivered, such as 10s or 2m.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = result => CliParsers.ParseInterval(result, "--timeout"),
            HelpName = "duration",
        };
        var command = new Command("flush", "Deliver undelivered reports now and wait for them (exit 1 if some remain).") { botKey, timeout };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var run = new CommandRun(context, parseResult, globals);
            var key = parseResult.GetValue(botKey);
            var report = await run.WithFleetAsync(
                fleet => FlushAsync(fleet, key, parseResult.GetValue(timeout), context.Time, cancellationToken),
                cancellationToken);

            var remaining = report.Bots.Where(b => b.OutboxSize > 0).ToList();
            if (remaining.Count > 0)
            {
                if (!run.Json)
                {
                    OutboxFormatter.WriteTable(run, report, flushed: true);
                }

                throw new CliException(new CliError(ErrorCodes.OutboxNotEmpty, Remaining(remaining, report.Delivered), ExitCodes.Failure));
            }

            if (run.Json)
            {
                run.WriteJson(report);
            }
            else
            {
                OutboxFormatter.WriteTable(run, report, flushed: true);
                run.WriteLine(report.Bots.Count == 0
                    ? "No undelivered reports: nothing to flush."
                    : $"Delivered {Text.Number(report.Delivered)} {(report.Delivered == 1 ? "report" : "reports")}; every outbox is empty.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<OutboxReport> FlushAsync(IFleetClient fleet, string? key, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        IReadOnlyList<BotStatus> targets = key is null
            ? [.. (await fleet.GetFleetStatusAsync(cancellationToken)).Bots.Where(b => b.OutboxSize > 0).OrderBy(b => b.BotKey, StringComparer.Ordinal)]
            : [await BotLookup.RequireAsync(fleet, key, cancellationToken)];
        foreach (var bot in targets)
        {
            await fleet.WakeBotAsync(bot.BotKey, cancellationToken);
        }

        var started = time.GetTimestamp();
        var latest = targets;
        while (true)
        {
            latest = [.. await Task.WhenAll(latest.Select(b => b.OutboxSize == 0 ? Task.FromResult(b) : fleet.GetBotStatusAsync(b.BotKey, cancellationToken)))];
            if (latest.All(b => b.OutboxSize == 0) || time.GetElapsedTime(started) >= timeout)
            {
                break;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }

        var bots = targets.Zip(latest, (before, after) =>
            new BotOutbox(after.BotKey, FleetStatusFormatter.State(after.State), after.OutboxSize, before.OutboxSize, after.LastError)).ToList();
        return new OutboxReport(bots.Sum(b => (long)b.OutboxSize), bots.Sum(b => (long)Math.Max(0, b.Before - b.OutboxSize)), bots);
    }

    private static string Remaining(IReadOnlyList<BotOutbox> remaining, long delivered)
    {
        var parts = remaining.Select(b => b.State == "stopped"
            ? $"{b.BotKey}: {b.OutboxSize} (stopped: start it to deliver them)"
            : $"{b.BotKey}: {b.OutboxSize}{(b.LastError is { } error ? $" (last error: {Text.OneLine(error, 200)})" : string.Empty)}");
        return $"{remaining.Sum(b => b.OutboxSize)} reports remain undelivered after {delivered} were delivered; {string.Join("; ", parts)}.";
    }
}
