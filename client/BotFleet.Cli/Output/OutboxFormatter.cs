namespace BotFleet.Cli.Output;

/// <summary>Renders <see cref="OutboxReport"/> as a table: one row per bot.</summary>
internal static class OutboxFormatter
{
    public const int LastErrorWidth = 60;

    public static void WriteTable(CommandRun run, OutboxReport report, bool flushed)
    {
        if (report.Bots.Count == 0)
        {
            return;
        }

        var columns = new List<TextColumn> { new("KEY"), new("STATE") };
        if (flushed)
        {
            columns.Add(new("BEFORE", AlignRight: true));
        }

        columns.Add(new("OUTBOX", AlignRight: true));
        columns.Add(new("LAST ERROR"));
        var table = new TextTable([.. columns]);
        foreach (var bot in report.Bots)
        {
            var cells = new List<string> { bot.BotKey, bot.State };
            if (flushed)
            {
                cells.Add(Text.Number(bot.Before));
            }

            cells.Add(Text.Number(bot.OutboxSize));
            cells.Add(Text.OneLine(bot.LastError, LastErrorWidth));
            table.AddRow([.. cells]);
        }

        run.WriteTable(table);
    }
}
