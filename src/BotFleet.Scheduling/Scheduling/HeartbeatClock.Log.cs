using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Scheduling;

public sealed partial class HeartbeatClock
{
    [LoggerMessage(EventId = SchedulingLogEvents.HeartbeatBeatFailed, Level = LogLevel.Warning, Message = "A bot's heartbeat could not be started; it beats again at its next interval")]
    private partial void LogBeatFailed(Exception exception);
}
