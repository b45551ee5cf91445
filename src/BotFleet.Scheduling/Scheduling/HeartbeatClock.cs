using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// Beats every bot of a silo at its heartbeat interval from one timer. A grain timer per bot puts each bot's timer in
/// the runtime's timer queue, which walks its timers several times a second however seldom they fire: with 10,000
/// idle bots that walk was a quarter of the silo's CPU.
/// </summary>
/// <remarks>
/// When the timer fires it also runs the beats due within <see cref="Gather"/> after it: 10,000 bots beating every 30 s
/// then wake the clock about 10 times a second instead of 333 (each wake-up of a thread costs far more than a beat),
/// and a beat comes at most that much early, never late. A beat keeps its cadence (due + interval), unless it fell a
/// whole interval behind; then it is next due one interval from when it ran. Thread-safe; beats run outside the lock
/// on the timer's thread and must not block (the grain sends itself a one-way call).
/// </remarks>
public sealed partial class HeartbeatClock : IDisposable
{
    /// <summary>How far ahead of the timer's beat the others due are gathered.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly PriorityQueue<Beat, long> _due = new();
    private readonly TimeProvider _time;
    private readonly ILogger<HeartbeatClock> _logger;
    private readonly ITimer _timer;
    private long _armedFor = long.MaxValue;
    private int _count;
    private bool _disposed;

    public HeartbeatClock(TimeProvider time, ILogger<HeartbeatClock> logger)
    {
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Beats running (started and not yet disposed).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Runs <paramref name="beat"/> every <paramref name="interval"/>, the first time one interval from now, until the handle is disposed.</summary>
    public IDisposable Start(TimeSpan interval, Action beat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(beat);
        var started = new Beat(this, interval.Ticks, beat);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow().UtcTicks;
            _due.Enqueue(started, now + started.Interval);
            _count++;
            ArmLocked(now);
        }

        return started;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _due.Clear();
            _count = 0;
        }

        _timer.Dispose();
    }

    private void Stop(Beat beat)
    {
        lock (_gate)
        {
            // Left in the queue and skipped when it comes due: removing from a heap is a linear search.
            if (!beat.Stopped)
            {
                beat.Stopped = true;
                _count--;
            }
        }
    }

    private void Fire()
    {
        List<Action>? beats = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcTicks;
            _armedFor = long.MaxValue;
            while (_due.TryPeek(out var beat, out var due) && due <= now + Gather.Ticks)
            {
                _due.Dequeue();
                if (beat.Stopped)
                {
                    continue;
                }

                var next = due + beat.Interval;
                _due.Enqueue(beat, next > now ? next : now + beat.Interval);
                (beats ??= []).Add(beat.Action);
            }

            ArmLocked(now);
        }

        foreach (var beat in beats ?? [])
        {
            try
            {
                beat();
            }
            catch (Exception ex)
            {
                // An exception on a timer's thread would end the process; one bot's failed beat must not.
                LogBeatFailed(ex);
            }
        }
    }

    // Under the lock: the timer fires for the earliest beat (it is re-armed only for an earlier one).
    private void ArmLocked(long now)
    {
        if (_due.TryPeek(out _, out var due) && due < _armedFor)
        {
            _armedFor = due;
            _timer.Change(TimeSpan.FromTicks(Math.Max(0, due - now)), Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class Beat(HeartbeatClock clock, long interval, Action action) : IDisposable
    {
        public long Interval { get; } = interval;

        public Action Action { get; } = action;

        public bool Stopped { get; set; }

        public void Dispose() => clock.Stop(this);
    }
}
