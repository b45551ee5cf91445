using System.Text;

namespace BotFleet.Cli.Output;

/// <summary>One column of a <see cref="TextTable"/>; numbers read best right-aligned.</summary>
internal readonly record struct TextColumn(string Header, bool AlignRight = false);

/// <summary>
/// A plain-text table: columns as wide as their widest cell, two spaces apart, no trailing
/// spaces (so output diffs and greps cleanly).
/// </summary>
internal sealed class TextTable(params TextColumn[] columns)
{
    private const string Gap = "  ";

    private readonly List<string[]> _rows = [];

    public IReadOnlyList<TextColumn> Columns => columns;

    public IReadOnlyList<string[]> Rows => _rows;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"Expected {columns.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter writer)
    {
        var widths = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            widths[i] = Math.Max(columns[i].Header.Length, _rows.Count == 0 ? 0 : _rows.Max(row => row[i].Length));
        }

        WriteLine(writer, widths, columns.Select(c => c.Header).ToArray());
        foreach (var row in _rows)
        {
            WriteLine(writer, widths, row);
        }
    }

    private void WriteLine(TextWriter writer, int[] widths, string[] cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(Gap);
            }

            var last = i == cells.Length - 1;
            if (columns[i].AlignRight)
            {
                line.Append(cells[i].PadLeft(widths[i]));
            }
            else
            {
                line.Append(last ? cells[i] : cells[i].PadRight(widths[i]));
            }
        }

        writer.WriteLine(line.ToString().TrimEnd());
    }
}
