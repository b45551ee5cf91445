using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Scheduling;

public sealed partial class SchedulerGrain
{
    [LoggerMessage(EventId = SchedulingLogEvents.BotResumed, Level = LogLevel.Information, Message = "Bot {BotKey} resumed with {OutboxCount} report(s) in its outbox and {LostCount} job(s) lost with its previous activation")]
    private partial void LogResumed(string botKey, int outboxCount, int lostCount);

    [LoggerMessage(EventId = SchedulingLogEvents.DrainTimedOut, Level = LogLevel.Warning, Message = "Bot {BotKey} deactivated with {InFlight} job(s) still running")]
    private partial void LogDrainTimedOut(string botKey, int inFlight);

    [LoggerMessage(EventId = SchedulingLogEvents.TickCrashed, Level = LogLevel.Error, Message = "Bot {BotKey}: tick failed unexpectedly; backing off")]
    private partial void LogTickCrashed(string botKey, Exception exception);
}
