using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Cli.Output;

/// <summary>Renders <see cref="FleetStatus"/> as a table for people or as JSON for scripts.</summary>
internal static class FleetStatusFormatter
{
    public const int LastErrorWidth = 60;

    public static void WriteTable(TextWriter writer, FleetStatus status)
    {
        if (status.Bots.IsDefaultOrEmpty)
        {
            writer.WriteLine($"No bots enrolled ({Text.Time(status.TakenAt)}).");
            return;
        }

        var table = new TextTable(
            new TextColumn("KEY"),
            new TextColumn("STATE"),
            new TextColumn("BOT ID"),
            new TextColumn("SILO"),
            new TextColumn("OPS"),
            new TextColumn("IN-FLIGHT", AlignRight: true),
            new TextColumn("PEAK", AlignRight: true),
            new TextColumn("OUTBOX", AlignRight: true),
            new TextColumn("COMPLETED", AlignRight: true),
            new TextColumn("FAILED", AlignRight: true),
            new TextColumn("DROPPED", AlignRight: true),
            new TextColumn("LAST ERROR"));

        foreach (var bot in status.Bots.OrderBy(b => b.BotKey, StringComparer.Ordinal))
        {
            table.AddRow(
                bot.BotKey,
                State(bot.State),
                bot.BotId ?? Text.None,
                bot.Silo ?? Text.None,
                bot.Operations.IsDefaultOrEmpty ? Text.None : string.Join(',', bot.Operations),
                $"{Text.Number(bot.InFlight)}/{Text.Number(bot.MaxConcurrency)}",
                Text.Number(bot.PeakInFlight),
                Text.Number(bot.OutboxSize),
                Text.Number(bot.JobsCompleted),
                Text.Number(bot.JobsFailed),
                Text.Number(bot.ReportsDropped),
                Text.OneLine(bot.LastError, LastErrorWidth));
        }

        table.Write(writer);
        var count = status.Bots.Length;
        writer.WriteLine($"{Text.Number(count)} {(count == 1 ? "bot" : "bots")} at {Text.Time(status.TakenAt)}.");
    }

    public static void WriteJson(TextWriter writer, FleetStatus status) => CliJson.Write(writer, status);

    public static string State(BotState state) => state.ToString().ToLowerInvariant();
}
