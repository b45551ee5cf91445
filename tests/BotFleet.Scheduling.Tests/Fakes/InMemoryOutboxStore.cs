using BotFleet.Scheduling.Outbox;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>Keeps every saved outbox snapshot, so tests see exactly what was made durable and when.</summary>
public sealed class InMemoryOutboxStore : IOutboxStore
{
    private readonly Lock _gate = new();
    private readonly List<OutboxSnapshot> _saves = [];

    public bool Fail { get; set; }

    public OutboxSnapshot Durable
    {
        get
        {
            lock (_gate)
            {
                return _saves.Count == 0 ? new OutboxSnapshot([], []) : _saves[^1];
            }
        }
    }

    public int SaveCount
    {
        get
        {
            lock (_gate)
            {
                return _saves.Count;
            }
        }
    }

    public Task SaveAsync(OutboxSnapshot snapshot)
    {
        if (Fail)
        {
            throw new IOException("storage unavailable");
        }

        lock (_gate)
        {
            _saves.Add(snapshot);
        }

        return Task.CompletedTask;
    }
}
