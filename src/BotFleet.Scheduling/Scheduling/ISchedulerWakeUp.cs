using Orleans.Concurrency;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// How the <see cref="IdleClaimRelay"/> hands an idle bot its turn: the turn is passed during another bot's grain
/// turn, so it arrives as a one-way call that only re-arms the bot's tick timer.
/// </summary>
[Alias("BotFleet.ISchedulerWakeUp")]
public interface ISchedulerWakeUp : IGrainWithStringKey
{
    [OneWay]
    [Alias("WakeUp")]
    Task WakeUpAsync();
}
