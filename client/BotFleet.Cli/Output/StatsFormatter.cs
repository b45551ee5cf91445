using BotFleet.JobApi.Wire;

namespace BotFleet.Cli.Output;

/// <summary>Renders GET /v1/stats: a full view for <c>stats</c>, one line per sample for <c>watch</c>.</summary>
internal static class StatsFormatter
{
    public static void WriteTable(TextWriter writer, StatsResponse stats)
    {
        var table = new TextTable(
            new TextColumn("OP"),
            new TextColumn("PENDING", AlignRight: true),
            new TextColumn("LEASED", AlignRight: true),
            new TextColumn("COMPLETED", AlignRight: true),
            new TextColumn("DEAD", AlignRight: true));

        foreach (var (op, counts) in stats.ByOp.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AddRow(table, op, counts);
        }

        AddRow(table, "(all)", stats.Jobs);
        table.Write(writer);
        writer.WriteLine($"Bots: {Text.Number(stats.Bots.Active)} active of {Text.Number(stats.Bots.Registered)} registered.");
    }

    public static void WriteJson(TextWriter writer, StatsResponse stats) => CliJson.Write(writer, stats);

    public static string Line(DateTimeOffset at, StatsResponse stats) =>
        $"{Text.Time(at)}  pending {Text.Number(stats.Jobs.Pending)}  leased {Text.Number(stats.Jobs.Leased)}  " +
        $"completed {Text.Number(stats.Jobs.Completed)}  dead {Text.Number(stats.Jobs.Dead)}  " +
        $"bots {Text.Number(stats.Bots.Active)}/{Text.Number(stats.Bots.Registered)}";

    private static void AddRow(TextTable table, string op, JobStatusCounts counts) => table.AddRow(
        op,
        Text.Number(counts.Pending),
        Text.Number(counts.Leased),
        Text.Number(counts.Completed),
        Text.Number(counts.Dead));
}
