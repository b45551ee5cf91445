using Microsoft.Extensions.Options;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The bots of one silo that could not reach the job server at all, backing off until they try again. When any bot
/// of the silo reaches the server again (a claim answered, a heartbeat delivered), it wakes the two that have waited
/// longest, and each of those that gets through wakes two more; while nobody gets through, the one that has waited
/// longest is woken every <see cref="SchedulerOptions.OutageProbeInterval"/> to try. After an outage the fleet resumes
/// within about that interval of the server's return instead of waiting out back-offs of up to
/// <see cref="SchedulerOptions.MaxFailureBackoff"/>, and it resumes in a doubling wave, not all at once, so a server
/// that is back but struggling stops the wave (a bot that fails again returns to its own back-off and to the line).
/// </summary>
/// <remarks>
/// Only failures where the server gave no answer (or a gateway said it was down) put a bot here, never an answer about
/// the bot's own request, and never one with a Retry-After: those bots keep their own back-off.
/// Thread-safe; wake-ups are invoked outside the lock and must not block (the grain sends itself a one-way call).
/// </remarks>
public sealed class OutageLine : IDisposable
{
    /// <summary>How many waiting bots each answer from the server wakes.</summary>
    public const int WakesPerAnswer = 2;

    private readonly Lock _gate = new();
    private readonly WakeQueue _waiting = new();
    private readonly TimeSpan _probeInterval;
    private readonly TimeProvider _time;
    private ITimer? _probe;
    private volatile int _count;

    public OutageLine(IOptions<SchedulerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _probeInterval = options.Value.OutageProbeInterval;
        _time = time;
    }

    /// <summary>Bots waiting for the server to come back.</summary>
    public int Count => _count;

    /// <summary><paramref name="botKey"/> could not reach the server: <paramref name="wake"/> when it is back (once; joining again keeps the place).</summary>
    public void Join(string botKey, Action wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        lock (_gate)
        {
            _waiting.Enqueue(botKey, wake);
            Counted();
        }
    }

    /// <summary><paramref name="botKey"/> reached the server: it leaves the line, and the ones that waited longest are woken.</summary>
    public void ServerAnswered(string botKey)
    {
        // Every claim of a healthy fleet comes here: nothing to do, no lock, while nobody waits.
        if (_count == 0)
        {
            return;
        }

        var woken = new Action?[WakesPerAnswer];
        lock (_gate)
        {
            _waiting.Remove(botKey);
            for (var i = 0; i < woken.Length; i++)
            {
                woken[i] = _waiting.Dequeue();
            }

            Counted();
        }

        foreach (var wake in woken)
        {
            wake?.Invoke();
        }
    }

    /// <summary>The bot stops, deactivates, or now waits for a reason of its own (a Retry-After): out of the line.</summary>
    public void Leave(string botKey)
    {
        if (_count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _waiting.Remove(botKey);
            Counted();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _probe?.Dispose();
            _probe = null;
        }
    }

    private void Probe()
    {
        Action? wake;
        lock (_gate)
        {
            wake = _waiting.Dequeue();
            Counted();
        }

        wake?.Invoke();
    }

    // Under the lock, after every change: the count for the lock-free checks, and a probe timer only while bots wait.
    private void Counted()
    {
        _count = _waiting.Count;
        if (_count > 0 && _probe is null)
        {
            _probe = _time.CreateTimer(_ => Probe(), null, _probeInterval, _probeInterval);
        }
        else if (_count == 0 && _probe is not null)
        {
            _probe.Dispose();
            _probe = null;
        }
    }
}
