using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Requests;

/// <summary>
/// Typed access to the fields of one JSON object, recording a problem per bad field under
/// its full path. A JSON null counts as absent. Every getter returns null on a problem.
/// </summary>
internal readonly struct JsonFields(JsonElement element, string prefix, RequestErrors errors)
{
    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public RequestErrors Errors => errors;

    public string Path(string name) => prefix.Length == 0 ? name : prefix + "." + name;

    public bool Has(string name) => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? RequiredString(string name, int maxLength, bool allowEmpty = false)
    {
        if (!TryGet(name, out var value))
        {
            errors.Add(Path(name), "Is required.");
            return null;
        }

        return CheckString(Path(name), value, maxLength, allowEmpty);
    }

    public string? OptionalString(string name, int maxLength) =>
        TryGet(name, out var value) ? CheckString(Path(name), value, maxLength, allowEmpty: false) : null;

    public int? OptionalInt(string name, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(Path(name), $"Must be an integer from {min} to {max}, got {Show(value)}.");
        return null;
    }

    public int? RequiredInt(string name, int min, int max) => Required(name) ? OptionalInt(name, min, max) : null;

    public long? OptionalLong(string name, long min, long max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(Path(name), $"Must be an integer from {min} to {max}, got {Show(value)}.");
        return null;
    }

    public double? OptionalNumber(string name, double min, double max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(Path(name), $"Must be a number from {min} to {max}, got {Show(value)}.");
        return null;
    }

    public double? RequiredNumber(string name, double min, double max) => Required(name) ? OptionalNumber(name, min, max) : null;

    public DateTimeOffset? OptionalTimestamp(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var timestamp))
        {
            return timestamp;
        }

        errors.Add(Path(name), $"Must be an ISO-8601 timestamp, got {Show(value)}.");
        return null;
    }

    public bool? OptionalBool(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(Path(name), $"Must be true or false, got {Show(value)}.");
        return null;
    }

    /// <summary>A non-empty array of non-empty strings; duplicates are dropped, order kept.</summary>
    public List<string>? RequiredStringList(string name, int maxCount, int maxLength)
    {
        if (!TryGet(name, out var value))
        {
            errors.Add(Path(name), "Is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Path(name), $"Must be an array of strings, got {JsonKinds.Describe(value.ValueKind)}.");
            return null;
        }

        var count = value.GetArrayLength();
        if (count == 0 || count > maxCount)
        {
            errors.Add(Path(name), $"Must hold 1 to {maxCount} items, got {count}.");
            return null;
        }

        var items = new List<string>(count);
        var ok = true;
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = CheckString($"{Path(name)}[{index++}]", item, maxLength, allowEmpty: false);
            if (text is null)
            {
                ok = false;
            }
            else if (!items.Contains(text, StringComparer.Ordinal))
            {
                items.Add(text);
            }
        }

        return ok ? items : null;
    }

    public JsonElement? RequiredObject(string name)
    {
        if (!TryGet(name, out var value))
        {
            errors.Add(Path(name), "Is required.");
            return null;
        }

        return CheckObject(name, value);
    }

    public JsonElement? OptionalObject(string name) => TryGet(name, out var value) ? CheckObject(name, value) : null;

    /// <summary>Any JSON value but null.</summary>
    public JsonElement? OptionalValue(string name) => TryGet(name, out var value) ? value : null;

    public JsonElement? OptionalArray(string name, int maxCount)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Path(name), $"Must be an array, got {JsonKinds.Describe(value.ValueKind)}.");
            return null;
        }

        if (value.GetArrayLength() > maxCount)
        {
            errors.Add(Path(name), $"Must hold at most {maxCount} items, got {value.GetArrayLength()}.");
            return null;
        }

        return value;
    }

    /// <summary>The items of a batch request: a required array of 1 to <paramref name="maxCount"/> items.</summary>
    public JsonElement? RequiredBatch(string name, int maxCount)
    {
        if (!Has(name))
        {
            errors.Add(Path(name), "Is required.");
            return null;
        }

        if (OptionalArray(name, maxCount) is not { } items)
        {
            return null;
        }

        if (items.GetArrayLength() == 0)
        {
            errors.Add(Path(name), $"Must hold 1 to {maxCount} items, got 0.");
            return null;
        }

        return items;
    }

    /// <summary>Compact JSON text of a value, or null (with a 413 recorded) when it exceeds <paramref name="maxBytes"/>.</summary>
    public string? Compact(string name, JsonElement value, int maxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            value.WriteTo(writer);
        }

        if (buffer.WrittenCount > maxBytes)
        {
            errors.AddTooLarge($"Field '{Path(name)}' is {buffer.WrittenCount} bytes; at most {maxBytes} are accepted.");
            return null;
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>True when the field is there (and not null); else records that it is required.</summary>
    private bool Required(string name)
    {
        if (Has(name))
        {
            return true;
        }

        errors.Add(Path(name), "Is required.");
        return false;
    }

    private bool TryGet(string name, out JsonElement value) =>
        element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private JsonElement? CheckObject(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        errors.Add(Path(name), $"Must be a JSON object, got {JsonKinds.Describe(value.ValueKind)}.");
        return null;
    }

    private string? CheckString(string path, JsonElement value, int maxLength, bool allowEmpty)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, $"Must be a string, got {JsonKinds.Describe(value.ValueKind)}.");
            return null;
        }

        var text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(path, "Must not be empty.");
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(path, $"Must be at most {maxLength} characters, got {text.Length}.");
            return null;
        }

        return text;
    }

    private static string Show(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : JsonKinds.Describe(value.ValueKind);
}
