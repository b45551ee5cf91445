using System.Collections.Concurrent;

namespace BotFleet.JobServer.Claims;

/// <summary>
/// <see cref="IJobArrivalSignal"/> within one server process: one completion source per operation that someone
/// waits for, swapped for a fresh one on each notification, plus one for "all". Stores call it after they commit;
/// on PostgreSQL the <see cref="PostgreSqlJobArrivalListener"/> feeds it the other servers' notifications too.
/// </summary>
public sealed class InProcessJobArrivalSignal : IJobArrivalSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _byOperation = new(StringComparer.Ordinal);
    private TaskCompletionSource _all = NewSource();

    public Task Next(IReadOnlyList<string> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var tasks = new Task[operations.Count + 1];
        tasks[0] = Volatile.Read(ref _all).Task;
        for (var i = 0; i < operations.Count; i++)
        {
            tasks[i + 1] = _byOperation.GetOrAdd(operations[i], _ => NewSource()).Task;
        }

        return Task.WhenAny(tasks);
    }

    public void Notify(string operation)
    {
        // Removed, then completed: a waiter that arrives after the removal gets a fresh source, and its claim (made
        // after taking it) sees the job this notification is about.
        if (_byOperation.TryRemove(operation, out var source))
        {
            source.TrySetResult();
        }
    }

    public void NotifyAll() => Interlocked.Exchange(ref _all, NewSource()).TrySetResult();

    // Waiters resume on the thread pool, never inline on the notifier's (a store's commit path).
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
