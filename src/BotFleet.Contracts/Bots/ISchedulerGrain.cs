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
}
