namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// Among the idle bots of one silo that claim the same operations, one holds the waiting (long-poll) claim at the
/// server; the others queue here in line, holding no connection and sending no claims. When the holder's claim
/// brings jobs it passes the turn: the first bot in line is woken and holds the next waiting claim (which returns
/// at once while jobs are left, so a burst draws the line in one claim round trip per bot). A holder that stops or
/// leaves passes the turn the same way. An idle fleet then costs the server one waiting request per operation set
/// and silo instead of one per bot, and keeps one connection open instead of thousands.
/// </summary>
/// <remarks>
/// Only bots whose last claim did not come back full use the relay: a busy bot claims as soon as its slots free up.
/// Thread-safe; wake-ups are invoked outside the lock and must not block (the grain sends itself a one-way call).
/// </remarks>
public sealed class IdleClaimRelay
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="botKey"/> holds (or now takes) the waiting claim of <paramref name="operations"/>;
    /// otherwise it joins the line (once) and <paramref name="wake"/> is called when its turn comes.
    /// </summary>
    public bool TryHold(string operations, string botKey, Action wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        lock (_gate)
        {
            if (!_lines.TryGetValue(operations, out var line))
            {
                line = new Line();
                _lines[operations] = line;
            }

            if (line.Holder is null || line.Holder == botKey)
            {
                line.Holder = botKey;
                line.Waiting.Remove(botKey);
                return true;
            }

            line.Waiting.Enqueue(botKey, wake);
            return false;
        }
    }

    /// <summary>The holder's claim brought jobs (or it stops holding): the first bot in line gets the turn.</summary>
    public void PassTurn(string operations, string botKey)
    {
        Action? next;
        lock (_gate)
        {
            if (!_lines.TryGetValue(operations, out var line) || line.Holder != botKey)
            {
                return;
            }

            line.Holder = null;
            next = line.Waiting.Dequeue();
            Forget(operations, line);
        }

        next?.Invoke();
    }

    /// <summary>A bot woken for its turn cannot claim (no free slot): when nobody holds the turn, the next in line gets it.</summary>
    public void HandOn(string operations)
    {
        Action? next;
        lock (_gate)
        {
            if (!_lines.TryGetValue(operations, out var line) || line.Holder is not null)
            {
                return;
            }

            next = line.Waiting.Dequeue();
            Forget(operations, line);
        }

        next?.Invoke();
    }

    /// <summary>The bot stops, changes its operations or deactivates: out of the line, and the turn passed if it held it.</summary>
    public void Leave(string operations, string botKey)
    {
        Action? next = null;
        lock (_gate)
        {
            if (!_lines.TryGetValue(operations, out var line))
            {
                return;
            }

            line.Waiting.Remove(botKey);
            if (line.Holder == botKey)
            {
                line.Holder = null;
                next = line.Waiting.Dequeue();
            }

            Forget(operations, line);
        }

        next?.Invoke();
    }

    /// <summary>Who holds the waiting claim of <paramref name="operations"/> and how many bots are in line behind it.</summary>
    public (string? Holder, int InLine) Describe(string operations)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(operations, out var line) ? (line.Holder, line.Waiting.Count) : (null, 0);
        }
    }

    private void Forget(string operations, Line line)
    {
        if (line.Holder is null && line.Waiting.Count == 0)
        {
            _lines.Remove(operations);
        }
    }

    /// <summary>Who holds the waiting claim, and who waits behind it.</summary>
    private sealed class Line
    {
        public string? Holder { get; set; }

        public WakeQueue Waiting { get; } = new();
    }
}
