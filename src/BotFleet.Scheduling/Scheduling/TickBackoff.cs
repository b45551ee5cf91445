namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// Picks the delay before the next tick: the tick interval while there is work, doubling
/// up to <see cref="SchedulerOptions.MaxIdleInterval"/> while the queue stays empty (or the bot is paused), and
/// doubling with jitter up to <see cref="SchedulerOptions.MaxFailureBackoff"/> while the
/// server fails — never sooner than a Retry-After the server asked for. After a long-poll claim that
/// waited out its time, at once: the server did the waiting. A bot waiting in its silo's idle line is woken when its
/// turn comes, so its delay is only a backstop (<see cref="SchedulerOptions.IdleLineRecheck"/>).
/// </summary>
public sealed class TickBackoff(SchedulerOptions options, Func<double> nextRandom)
{
    private const int MaxDoublings = 20;
    private int _idleTicks;
    private int _failedTicks;

    public TickBackoff(SchedulerOptions options)
        : this(options, Random.Shared.NextDouble)
    {
    }

    public TimeSpan Next(TickResult result)
    {
        switch (result.Outcome)
        {
            case TickOutcome.IdleAfterWait:
                _idleTicks = 0;
                _failedTicks = 0;
                return TimeSpan.Zero;
            case TickOutcome.WaitingInLine:
                // Woken when its turn comes; this is only the backstop should a wake-up be lost.
                _idleTicks = 0;
                _failedTicks = 0;
                return Max(options.IdleLineRecheck, options.TickInterval);
            case TickOutcome.Idle or TickOutcome.Stopped:
                _failedTicks = 0;
                _idleTicks = Math.Min(_idleTicks + 1, MaxDoublings);
                return Min(Doubled(_idleTicks), options.MaxIdleInterval);
            case TickOutcome.RegistrationFailed or TickOutcome.OutboxBlocked or TickOutcome.ClaimFailed:
                _idleTicks = 0;
                _failedTicks = Math.Min(_failedTicks + 1, MaxDoublings);
                var backoff = Jittered(Min(Doubled(_failedTicks), options.MaxFailureBackoff));
                return result.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
            default:
                _idleTicks = 0;
                _failedTicks = 0;
                return options.TickInterval;
        }
    }

    private TimeSpan Doubled(int times) => options.TickInterval * Math.Pow(2, times);

    private TimeSpan Jittered(TimeSpan delay)
    {
        var spread = options.FailureBackoffJitter * ((nextRandom() * 2) - 1);
        return delay * (1 + spread);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
