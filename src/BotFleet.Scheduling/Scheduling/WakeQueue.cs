namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// Bots waiting to be woken, first come first woken, each at most once (a bot already waiting keeps its place).
/// The lines of <see cref="IdleClaimRelay"/> and <see cref="OutageLine"/>; not thread-safe, their owners lock.
/// </summary>
internal sealed class WakeQueue
{
    private readonly LinkedList<(string BotKey, Action Wake)> _order = new();
    private readonly Dictionary<string, LinkedListNode<(string BotKey, Action Wake)>> _byBot = new(StringComparer.Ordinal);

    public int Count => _order.Count;

    public void Enqueue(string botKey, Action wake)
    {
        if (!_byBot.ContainsKey(botKey))
        {
            _byBot[botKey] = _order.AddLast((botKey, wake));
        }
    }

    public void Remove(string botKey)
    {
        if (_byBot.Remove(botKey, out var node))
        {
            _order.Remove(node);
        }
    }

    /// <summary>The wake-up of the bot that has waited longest, taken out of the queue; null when none waits.</summary>
    public Action? Dequeue()
    {
        if (_order.First is not { } first)
        {
            return null;
        }

        _order.RemoveFirst();
        _byBot.Remove(first.Value.BotKey);
        return first.Value.Wake;
    }
}
