using Spectre.Console;

namespace BotFleet.Cli.Output;

/// <summary>
/// Writes a <see cref="TextTable"/> for where the output goes: a Spectre.Console table (borders, colour, fitted to the
/// terminal) for a person at a terminal; the plain, aligned, grep-able text otherwise, never wrapped at 80 columns.
/// </summary>
internal static class TableWriter
{
    public static void Write(CliContext context, TextTable table)
    {
        if (!context.Interactive)
        {
            table.Write(context.Output);
            return;
        }

        var rendered = new Table().Border(TableBorder.Rounded);
        foreach (var column in table.Columns)
        {
            var spectreColumn = new TableColumn(new Spectre.Console.Text(column.Header, new Style(decoration: Decoration.Bold)));
            rendered.AddColumn(column.AlignRight ? spectreColumn.RightAligned() : spectreColumn);
        }

        foreach (var row in table.Rows)
        {
            // Cells are data (bot keys, errors), never markup: Text renders brackets as they are.
            rendered.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Spectre.Console.Text(cell)).ToArray());
        }

        context.Terminal.Write(rendered);
    }
}
