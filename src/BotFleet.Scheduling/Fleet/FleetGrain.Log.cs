using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Fleet;

public sealed partial class FleetGrain
{
    [LoggerMessage(EventId = SchedulingLogEvents.FleetRebalanced, Level = LogLevel.Information, Message = "Rebalanced the fleet: {Moved} of {Bots} bot(s) moving to spread them over {Silos} silo(s)")]
    private partial void LogRebalanced(int moved, int bots, int silos);

    [LoggerMessage(EventId = SchedulingLogEvents.BotUnreachable, Level = LogLevel.Warning, Message = "Bot {BotKey} could not be reached; it will be tried again")]
    private partial void LogBotUnreachable(string botKey, Exception exception);

    [LoggerMessage(EventId = SchedulingLogEvents.BotStartFailed, Level = LogLevel.Error, Message = "Could not start bot {BotKey}")]
    private partial void LogBotStartFailed(string botKey, Exception exception);
}
