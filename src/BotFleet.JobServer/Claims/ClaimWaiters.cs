using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Claims;

/// <summary>Counts the long-poll claims waiting in this server, up to <see cref="JobServerOptions.MaxClaimWaiters"/>.</summary>
public sealed class ClaimWaiters(IOptions<JobServerOptions> options)
{
    private readonly int _max = options.Value.MaxClaimWaiters;
    private int _count;
    private int _parked;

    /// <summary>Claims waiting now (for metrics and tests).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a place; false when all are taken (the claim then answers at once).</summary>
    internal bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= _max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    internal void Leave() => Interlocked.Decrement(ref _count);

    /// <summary>
    /// Claims parked on the arrival signal now, their wait's timer already set (a waiter between its claims is not
    /// parked). Tests on a fake clock move it only once a claim is parked, or the timer would start after the move.
    /// </summary>
    public int Parked => Volatile.Read(ref _parked);

    /// <summary>Waits for <paramref name="wait"/>, counted in <see cref="Parked"/> while it runs.</summary>
    internal async Task ParkAsync(Task wait)
    {
        Interlocked.Increment(ref _parked);
        try
        {
            await wait;
        }
        finally
        {
            Interlocked.Decrement(ref _parked);
        }
    }
}
