namespace BotFleet.Scheduling.Scheduling;

/// <summary>What one tick did; it decides when the next tick comes.</summary>
public enum TickOutcome
{
    /// <summary>Another tick was still running; this one did nothing.</summary>
    AlreadyRunning,

    /// <summary>The bot is stopped or paused: nothing claimed.</summary>
    Stopped,

    /// <summary>Registration with the job server failed; retried next tick.</summary>
    RegistrationFailed,

    /// <summary>The outbox could not be emptied; no claim was made.</summary>
    OutboxBlocked,

    /// <summary>The claim failed (server down, 5xx, timeout).</summary>
    ClaimFailed,

    /// <summary>No free slot: nothing claimed.</summary>
    Busy,

    /// <summary>The claim came back empty.</summary>
    Idle,

    /// <summary>The claim waited at the server for work (long poll) and none came: the server did the waiting, claim again at once.</summary>
    IdleAfterWait,

    /// <summary>
    /// The bot is idle and another idle bot of its silo with the same operations holds the waiting claim
    /// (<see cref="IdleClaimRelay"/>): no claim was sent; the bot is woken when its turn comes.
    /// </summary>
    WaitingInLine,

    /// <summary>Fewer jobs than asked for were claimed.</summary>
    Claimed,

    /// <summary>As many jobs as asked for were claimed: more are probably waiting.</summary>
    ClaimedFullBatch,
}
