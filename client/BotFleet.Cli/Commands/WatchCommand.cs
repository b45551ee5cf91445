using System.CommandLine;
using BotFleet.Cli.Output;

namespace BotFleet.Cli.Commands;

/// <summary>
/// <c>botfleet watch [--interval 1s] [--until-drained]</c>: one stats line per interval until
/// Ctrl+C (exit 0), or with --until-drained until nothing is pending or leased (exit 0).
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "Time between samples, such as 500ms, 2s or 1m.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
            CustomParser = CliParsers.ParseInterval,
            HelpName = "duration",
        };
        var untilDrained = new Option<bool>("--until-drained") { Description = "Exit 0 once no job is pending or leased." };

        var command = new Command("watch", "Print job stats every interval until Ctrl+C.") { interval, untilDrained };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var period = parseResult.GetValue(interval);
            var stopWhenDrained = parseResult.GetValue(untilDrained);
            return await context.Jobs.UseAsync(
                parseResult.GetRequiredValue(globals.Server),
                async client =>
                {
                    try
                    {
                        while (true)
                        {
                            var stats = await client.GetStatsAsync(cancellationToken);
                            await context.Output.WriteLineAsync(StatsFormatter.Line(context.Time.GetUtcNow(), stats));
                            if (stopWhenDrained && stats.Jobs.Pending + stats.Jobs.Leased == 0)
                            {
                                await context.Output.WriteLineAsync("Drained: nothing pending or leased.");
                                return ExitCodes.Success;
                            }

                            await Task.Delay(period, context.Time, cancellationToken);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Ctrl+C is how a watch normally ends.
                        return ExitCodes.Success;
                    }
                },
                cancellationToken);
        });
        return command;
    }
}
