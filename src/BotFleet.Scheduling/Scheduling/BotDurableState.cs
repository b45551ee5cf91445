using System.Diagnostics.CodeAnalysis;
using BotFleet.Scheduling.Outbox;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// Everything a bot keeps in grain state — the outbox, the quarantine and the running jobs — behind
/// one lock, with the one path that saves it. A report moves from "running" to "outbox" inside one
/// critical section, so no snapshot can miss it; saves are serialised and the newest snapshot lands last.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim owns no handle unless AvailableWaitHandle is read.")]
/// <param name="readCounters">The live counters, read under <see cref="Gate"/> for each save.</param>
internal sealed class BotDurableState(SchedulerSnapshot durable, ISchedulerStateStore store, Func<BotCounters> readCounters)
{
    private readonly SemaphoreSlim _saveLock = new(1, 1);
    private bool _dirty;

    /// <summary>Guards every collection here, and the scheduler state that changes with them.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Undelivered reports, oldest first. Mutate only under <see cref="Gate"/>, then call <see cref="MarkDirty"/>.</summary>
    public List<JobReport> Outbox { get; } = [.. durable.Pending];

    public List<QuarantinedReport> Quarantine { get; } = [.. durable.Quarantined];

    /// <summary>Jobs holding a slot now, by id.</summary>
    public Dictionary<string, RunningJobRecord> Running { get; } = new(StringComparer.Ordinal);

    /// <summary>The jobs the previous activation was running when it stopped.</summary>
    public IReadOnlyList<RunningJobRecord> RunningAtStart { get; } = durable.Running ?? [];

    /// <summary>The counters as the previous activation left them.</summary>
    public BotCounters CountersAtStart { get; } = durable.Counters ?? new();

    /// <summary>Call under <see cref="Gate"/> after any change that must reach storage.</summary>
    public void MarkDirty() => _dirty = true;

    /// <summary>Saves the state if it changed since the last save.</summary>
    /// <returns>False when the store failed (the change stays marked for the next save), with the error.</returns>
    public async Task<(bool Saved, int OutboxCount, Exception? Error)> SaveAsync()
    {
        await _saveLock.WaitAsync();
        try
        {
            SchedulerSnapshot snapshot;
            lock (Gate)
            {
                if (!_dirty)
                {
                    return (true, Outbox.Count, null);
                }

                snapshot = new SchedulerSnapshot([.. Outbox], [.. Quarantine], [.. Running.Values], readCounters());
                _dirty = false;
            }

            try
            {
                await store.SaveAsync(snapshot);
                return (true, snapshot.Pending.Count, null);
            }
            catch (Exception ex)
            {
                lock (Gate)
                {
                    _dirty = true;
                }

                return (false, snapshot.Pending.Count, ex);
            }
        }
        finally
        {
            _saveLock.Release();
        }
    }
}
