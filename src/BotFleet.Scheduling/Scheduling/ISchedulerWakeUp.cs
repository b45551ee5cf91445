using Orleans.Concurrency;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// How the <see cref="IdleClaimRelay"/> hands an idle bot its turn, and the <see cref="OutageLine"/> tells a bot backing
/// off that the job server is back: both happen during another bot's grain turn, so they arrive as a one-way call that
/// only re-arms the bot's tick timer.
/// </summary>
[Alias("BotFleet.ISchedulerWakeUp")]
public interface ISchedulerWakeUp : IGrainWithStringKey
{
    [OneWay]
    [Alias("WakeUp")]
    Task WakeUpAsync();
}
