namespace BotFleet.JobServer.Storage;

/// <summary>
/// When the earliest lease a store knows of runs out, so that a claim sweeps expired leases only when one may have
/// expired, instead of on every claim (the <see cref="Leases.LeaseSweeper"/> sweeps on its own schedule too; this
/// only lets a claim rescue a job a little sooner). It learns leases from its own claims and, after each sweep,
/// the earliest lease left in the database. A heartbeat that extends a lease makes the known time early: that costs
/// one sweep that finds nothing, which then learns the right time. Leases opened by another server sharing the
/// database, or a note lost to a concurrent sweep, are left to the sweeper.
/// </summary>
internal sealed class LeaseExpiryWatch
{
    private const long Never = long.MaxValue;

    // Unix ms; 0 makes the first claim sweep, which learns the state of the database.
    private long _earliest;

    /// <summary>True when a lease may have run out by <paramref name="now"/> (unix ms).</summary>
    public bool MayHaveExpired(long now) => Volatile.Read(ref _earliest) <= now;

    /// <summary>A claim opened leases until <paramref name="leaseUntil"/>.</summary>
    public void Leased(long leaseUntil)
    {
        var seen = Volatile.Read(ref _earliest);
        while (leaseUntil < seen)
        {
            var previous = Interlocked.CompareExchange(ref _earliest, leaseUntil, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>A sweep ran; <paramref name="earliestLeft"/> is the earliest lease still held, null when none is.</summary>
    public void Swept(long? earliestLeft) => Volatile.Write(ref _earliest, earliestLeft ?? Never);
}
