using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotFleet.LoadBench.Measurement;

namespace BotFleet.LoadBench.Reporting;

/// <summary>Prints a report as a table (one column per run, then the median) and writes it as JSON.</summary>
internal static class ReportWriter
{
    public static void PrintTable(BenchReport report, TextWriter output)
    {
        var median = report.Median();
        var headers = new List<string> { "metric" };
        headers.AddRange(report.Runs.Select((_, i) => $"run {i + 1}"));
        if (report.Runs.Count > 1)
        {
            headers.Add("median");
        }

        headers.Add("unit");
        var rows = median.Select(metric =>
        {
            var row = new List<string> { metric.Name };
            row.AddRange(report.Runs.Select(run => Format(run.FirstOrDefault(m => m.Name == metric.Name)?.Value)));
            if (report.Runs.Count > 1)
            {
                row.Add(Format(metric.Value));
            }

            row.Add(metric.Unit);
            return row;
        }).ToList();

        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        output.WriteLine();
        output.WriteLine($"{report.Scenario} @ {report.Commit ?? "?"}: {string.Join(", ", report.Settings.Select(s => $"{s.Key}={s.Value}"))}");
        output.WriteLine(Line(headers, widths));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    public static string WriteJson(BenchReport report, string path) => WriteJson(ToJson(report), path);

    /// <summary>Several reports of one invocation (a matrix of settings) in one file.</summary>
    public static string WriteJson(string scenario, IReadOnlyDictionary<string, string> settings, IReadOnlyList<BenchReport> cells, string path) =>
        WriteJson(
            new JsonObject
            {
                ["scenario"] = scenario,
                ["commit"] = cells.Count == 0 ? null : cells[0].Commit,
                ["machine"] = Machine(),
                ["settings"] = Settings(settings),
                ["cells"] = new JsonArray([.. cells.Select(cell => (JsonNode?)ToJson(cell))]),
            },
            path);

    private static JsonObject ToJson(BenchReport report) => new()
    {
        ["scenario"] = report.Scenario,
        ["commit"] = report.Commit,
        ["started_at"] = report.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["machine"] = Machine(),
        ["settings"] = Settings(report.Settings),
        ["runs"] = new JsonArray([.. report.Runs.Select(run => (JsonNode?)ToJson(run))]),
        ["median"] = ToJson(report.Median()),
    };

    private static JsonObject Machine() => new() { ["cores"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.VersionString };

    private static JsonObject Settings(IReadOnlyDictionary<string, string> settings) =>
        new(settings.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));

    private static string WriteJson(JsonNode json, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        return Path.GetFullPath(path);
    }

    private static JsonObject ToJson(IEnumerable<Metric> metrics) =>
        new(metrics.Select(m => KeyValuePair.Create(m.Name, m.Value is { } value ? (JsonNode?)JsonValue.Create(value) : null)));

    private static string Format(double? value) => value switch
    {
        null => "-",
        { } v when v == Math.Floor(v) && Math.Abs(v) < 1e12 => v.ToString("N0", CultureInfo.InvariantCulture),
        { } v when Math.Abs(v) >= 100 => v.ToString("N1", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Line(List<string> cells, List<int> widths) =>
        string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
}
