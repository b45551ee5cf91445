using Orleans.Concurrency;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// How the silo's parts reach a bot from outside its grain turn, by one-way calls: the <see cref="IdleClaimRelay"/> hands
/// an idle bot its turn and the <see cref="OutageLine"/> tells a bot backing off that the job server is back (both only
/// re-arm the bot's tick timer), and the <see cref="HeartbeatClock"/> beats its heartbeat.
/// </summary>
[Alias("BotFleet.ISchedulerWakeUp")]
public interface ISchedulerWakeUp : IGrainWithStringKey
{
    [OneWay]
    [Alias("WakeUp")]
    Task WakeUpAsync();

    /// <summary>Sends the bot's heartbeat now; interleaves with a tick (a long-poll claim), as the heartbeat extends running jobs' leases.</summary>
    [OneWay]
    [AlwaysInterleave]
    [Alias("Heartbeat")]
    Task HeartbeatAsync();
}
