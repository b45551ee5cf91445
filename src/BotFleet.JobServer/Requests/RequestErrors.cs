namespace BotFleet.JobServer.Requests;

/// <summary>
/// Problems found in one request, keyed by the snake_case path of the field ("payload",
/// "jobs[3].op"). A too-large payload is kept apart because it answers 413, not 400.
/// </summary>
internal sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0 || TooLarge is not null;

    /// <summary>Set when a payload or result exceeds the size limit.</summary>
    public string? TooLarge { get; private set; }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public void AddTooLarge(string detail) => TooLarge ??= detail;

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One line for a batch item's own error: "field: message; field: message", or the size problem.</summary>
    public string Describe() =>
        TooLarge ?? string.Join("; ", _errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
