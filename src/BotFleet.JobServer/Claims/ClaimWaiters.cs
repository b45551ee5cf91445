using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Claims;

/// <summary>Counts the long-poll claims waiting in this server, up to <see cref="JobServerOptions.MaxClaimWaiters"/>.</summary>
public sealed class ClaimWaiters(IOptions<JobServerOptions> options)
{
    private readonly int _max = options.Value.MaxClaimWaiters;
    private int _count;

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
}
