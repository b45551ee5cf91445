using BotFleet.Scheduling.Scheduling;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>Keeps every saved outbox snapshot, so tests see exactly what was made durable and when.</summary>
public sealed class InMemorySchedulerStateStore : ISchedulerStateStore
{
    private readonly Lock _gate = new();
    private readonly List<SchedulerSnapshot> _saves = [];

    public bool Fail { get; set; }

    public SchedulerSnapshot Durable
    {
        get
        {
            lock (_gate)
            {
                return _saves.Count == 0 ? new SchedulerSnapshot([], []) : _saves[^1];
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

    public Task SaveAsync(SchedulerSnapshot snapshot)
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
