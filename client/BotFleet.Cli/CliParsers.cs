using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;

namespace BotFleet.Cli;

/// <summary>
/// Parsers and validators for option values. Every problem becomes a parse error (with the
/// exact message shown to the user), so bad input is refused before anything is contacted.
/// </summary>
internal static class CliParsers
{
    public static Uri? ParseServer(ArgumentResult result)
    {
        var text = SingleToken(result);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"--server must be an absolute http or https URL, got '{text}'.");
        return null;
    }

    /// <summary>Reads "sum,echo" (and repeated options) into distinct, trimmed names.</summary>
    public static string[] ParseOperations(ArgumentResult result)
    {
        var operations = result.Tokens
            .SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (operations.Length == 0)
        {
            result.AddError("--ops must name at least one operation, for example --ops sum,echo.");
        }

        return operations;
    }

    /// <summary>The payload must be a JSON object, as the job API requires.</summary>
    public static JsonElement ParsePayload(ArgumentResult result)
    {
        var text = SingleToken(result);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                result.AddError($"--payload must be a JSON object, got {Describe(document.RootElement.ValueKind)}.");
                return default;
            }

            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } position
                ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, position {position + 1})")
                : string.Empty;
            result.AddError($"--payload is not valid JSON{where}: {Shorten(text)}");
            return default;
        }
    }

    /// <summary>Reads "500ms", "2s", "1m", "1h" or a bare number of seconds.</summary>
    public static TimeSpan ParseInterval(ArgumentResult result) => ParseInterval(result, "--interval");

    /// <summary>Reads "500ms", "2s", "1m", "1h" or a bare number of seconds, for the option <paramref name="name"/>.</summary>
    public static TimeSpan ParseInterval(ArgumentResult result, string name)
    {
        var text = SingleToken(result).Trim();
        var (number, unit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], TimeSpan.FromMilliseconds(1)),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], TimeSpan.FromSeconds(1)),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], TimeSpan.FromMinutes(1)),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], TimeSpan.FromHours(1)),
            _ => (text, TimeSpan.FromSeconds(1)),
        };

        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            var interval = unit * value;
            if (interval >= MinInterval && interval <= MaxInterval)
            {
                return interval;
            }
        }

        result.AddError($"{name} must be a duration between 100ms and 1h such as 500ms, 2s or 1m, got '{text}'.");
        return default;
    }

    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public static void RequireRange(OptionResult result, Option<int> option, int min, int max)
    {
        // A value that is not a number already has System.CommandLine's own error.
        if (result.Tokens.Count == 0 || !int.TryParse(result.Tokens[^1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return;
        }

        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be between {min} and {max}, got {value}."));
        }
    }

    public static void RequireText(SymbolResult result, string name)
    {
        if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
        {
            result.AddError($"{name} must not be empty.");
        }
    }

    // Echoing the text shows shell-quoting mistakes; a long one is cut so the message stays readable.
    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
