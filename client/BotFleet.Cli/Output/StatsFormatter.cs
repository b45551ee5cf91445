using BotFleet.JobApi.Contracts;

namespace BotFleet.Cli.Output;

/// <summary>Renders GET /v1/stats as a table per operation.</summary>
internal static class StatsFormatter
{
    public static void WriteTable(CommandRun run, StatsResponse stats)
    {
        var table = new TextTable(
            new TextColumn("OP"),
            new TextColumn("PENDING", AlignRight: true),
            new TextColumn("LEASED", AlignRight: true),
            new TextColumn("COMPLETED", AlignRight: true),
            new TextColumn("DEAD", AlignRight: true),
            new TextColumn("CANCELLED", AlignRight: true));

        foreach (var (op, counts) in stats.ByOp.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AddRow(table, op, counts);
        }

        AddRow(table, "(all)", stats.Jobs);
        run.WriteTable(table);
        run.WriteLine($"Bots: {Text.Number(stats.Bots.Active)} active of {Text.Number(stats.Bots.Registered)} registered.");
    }

    private static void AddRow(TextTable table, string op, JobStatusCounts counts) => table.AddRow(
        op,
        Text.Number(counts.Pending),
        Text.Number(counts.Leased),
        Text.Number(counts.Completed),
        Text.Number(counts.Dead),
        Text.Number(counts.Cancelled));
}
