namespace BotFleet.Contracts.Bots;

/// <summary>
/// One bot: keyed by its bot key (stable name), it registers with the job server, claims
/// jobs for its operations, runs them on worker grains and reports the outcomes.
/// </summary>
[Alias("BotFleet.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Stores the definition and starts (or re-configures) the bot. Idempotent.</summary>
    [Alias("Start")]
    Task StartAsync(BotDefinition definition);

    /// <summary>Stops claiming and removes the keep-alive reminder; undelivered reports stay in the outbox.</summary>
    [Alias("Stop")]
    Task StopAsync();

    [Alias("GetStatus")]
    Task<BotStatus> GetStatusAsync();

    /// <summary>
    /// For an operator who will not wait for the bot's own timers: ticks a running bot now (a tick delivers its outbox
    /// first, in order) and sends its heartbeat now (which brings an assignment change, such as a pause). A stopped bot
    /// ignores it. Returns at once; watch <see cref="BotStatus.OutboxSize"/> and <see cref="BotStatus.State"/>.
    /// </summary>
    [Alias("WakeNow")]
    Task WakeNowAsync();

    /// <summary>
    /// Moves the bot to <paramref name="silo"/> once it is idle: the activation drains its running jobs, hands its
    /// state over and resumes there. A silo that is no longer active is ignored (placement chooses instead).
    /// </summary>
    [Alias("MoveTo")]
    Task MoveToAsync(SiloAddress silo);
}
