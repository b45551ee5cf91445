using BotFleet.Scheduling.Scheduling;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>Keeps the last saved snapshot and counts the saves, so tests see exactly what was made durable.</summary>
public sealed class InMemorySchedulerStateStore : ISchedulerStateStore
{
    private readonly Lock _gate = new();
    private SchedulerSnapshot? _last;
    private int _saveCount;

    public bool Fail { get; set; }

    /// <summary>
    /// The last snapshot saved. Throws when nothing was ever saved, so "the durable outbox is empty" cannot pass for a
    /// bot that never persisted its drain.
    /// </summary>
    public SchedulerSnapshot Durable
    {
        get
        {
            lock (_gate)
            {
                return _last ?? throw new InvalidOperationException("nothing was saved");
            }
        }
    }

    public int SaveCount
    {
        get
        {
            lock (_gate)
            {
                return _saveCount;
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
            _last = snapshot;
            _saveCount++;
        }

        return Task.CompletedTask;
    }
}
