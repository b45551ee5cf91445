using System.Globalization;

namespace BotFleet.Cli.Output;

/// <summary>Small invariant-culture helpers shared by the formatters.</summary>
internal static class Text
{
    public const string None = "-";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) => value is { } v ? Time(v) : None;

    /// <summary>One line of at most <paramref name="max"/> characters, so a long error cannot break a table.</summary>
    public static string OneLine(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var line = string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
