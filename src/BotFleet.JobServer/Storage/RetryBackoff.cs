namespace BotFleet.JobServer.Storage;

/// <summary>
/// Delay before a failed job may run again: the bot's wish, else exponential from a base with
/// jitter (so jobs that failed together do not all come back together), both capped.
/// </summary>
public static class RetryBackoff
{
    /// <param name="random">A value in [0, 1); the jitter takes up to <see cref="JobServerOptions.RetryBackoffJitter"/> of the delay off.</param>
    public static TimeSpan Delay(int attempt, TimeSpan? requested, JobServerOptions options, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cap = options.RetryBackoffMax;
        if (requested is { } wish)
        {
            return wish < TimeSpan.Zero ? TimeSpan.Zero : wish > cap ? cap : wish;
        }

        // 1x, 2x, 4x … the base; the shift is bounded so the multiplication cannot overflow.
        var factor = 1L << Math.Clamp(attempt - 1, 0, 30);
        var delayMs = Math.Min(options.RetryBackoffBase.TotalMilliseconds * factor, cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Floor(delayMs * (1 - (options.RetryBackoffJitter * random))));
    }
}
