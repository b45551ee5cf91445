using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;

namespace BotFleet.Cli.Output;

/// <summary>Renders <see cref="FleetStatus"/> as a table for people or as JSON for scripts.</summary>
internal static class FleetStatusFormatter
{
    public const int LastErrorWidth = 60;

    public static void WriteTable(CommandRun run, FleetStatus status)
    {
        if (status.Bots.IsDefaultOrEmpty)
        {
            run.WriteLine($"No bots enrolled ({Text.Time(status.TakenAt)}).");
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

        run.WriteTable(table);
        var count = status.Bots.Length;
        run.WriteLine($"{Text.Number(count)} {(count == 1 ? "bot" : "bots")} at {Text.Time(status.TakenAt)}.");
    }

    public static void WriteDetails(CommandRun run, BotStatus bot)
    {
        run.WriteLine($"key:            {bot.BotKey}");
        run.WriteLine($"state:          {State(bot.State)}");
        run.WriteLine($"bot id:         {bot.BotId ?? Text.None}");
        run.WriteLine($"instance:       {bot.InstanceId ?? Text.None}");
        run.WriteLine($"silo:           {bot.Silo ?? Text.None}");
        run.WriteLine($"ops:            {(bot.Operations.IsDefaultOrEmpty ? Text.None : string.Join(',', bot.Operations))}");
        run.WriteLine($"in-flight:      {Text.Number(bot.InFlight)}/{Text.Number(bot.MaxConcurrency)} (peak {Text.Number(bot.PeakInFlight)})");
        run.WriteLine($"outbox:         {Text.Number(bot.OutboxSize)}");
        run.WriteLine($"completed:      {Text.Number(bot.JobsCompleted)}");
        run.WriteLine($"failed:         {Text.Number(bot.JobsFailed)}");
        run.WriteLine($"released:       {Text.Number(bot.JobsReleased)}");
        run.WriteLine($"dropped:        {Text.Number(bot.ReportsDropped)}");
        run.WriteLine($"last error:     {Text.OneLine(bot.LastError, 500)}");
        run.WriteLine($"last tick:      {Text.Time(bot.LastTickAt)}");
        run.WriteLine($"next tick:      {Text.Time(bot.NextTickAt)}");
        run.WriteLine($"last heartbeat: {Text.Time(bot.LastHeartbeatAt)}");
    }

    public static string State(BotState state) => state.ToString().ToLowerInvariant();
}
