using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Fleet;

internal sealed partial class FleetMembershipWatcher
{
    [LoggerMessage(EventId = SchedulingLogEvents.SiloLeft, Level = LogLevel.Information, Message = "Silo(s) {Silos} left the cluster; resuming their bots on the living silos")]
    private partial void LogSiloLeft(IReadOnlyList<SiloAddress> silos);

    [LoggerMessage(EventId = SchedulingLogEvents.BotsResumed, Level = LogLevel.Information, Message = "Every bot on the roster is active (attempt {Attempt})")]
    private partial void LogBotsResumed(int attempt);

    [LoggerMessage(EventId = SchedulingLogEvents.BotsNotYetResumed, Level = LogLevel.Information, Message = "{Count} bot(s) not reached yet (attempt {Attempt}); trying again")]
    private partial void LogBotsNotYetResumed(int count, int attempt);

    [LoggerMessage(EventId = SchedulingLogEvents.ResumeFailed, Level = LogLevel.Warning, Message = "Resuming the fleet failed (attempt {Attempt})")]
    private partial void LogResumeFailed(int attempt, Exception exception);

    [LoggerMessage(EventId = SchedulingLogEvents.ResumeLeftToReminders, Level = LogLevel.Warning, Message = "Bots still unreached after {Attempts} attempts; their keep-alive reminders will bring them back")]
    private partial void LogResumeLeftToReminders(int attempts);

    [LoggerMessage(EventId = SchedulingLogEvents.FleetRebalancedOnMembershipChange, Level = LogLevel.Information, Message = "Silo(s) {Silos} joined; {Moved} bot(s) asked to move to spread the fleet")]
    private partial void LogRebalanced(IReadOnlyList<SiloAddress> silos, int moved);

    [LoggerMessage(EventId = SchedulingLogEvents.RebalanceFailed, Level = LogLevel.Warning, Message = "Rebalancing the fleet after a silo joined failed; bots stay where they are")]
    private partial void LogRebalanceFailed(Exception exception);

    [LoggerMessage(EventId = SchedulingLogEvents.ClusterStarted, Level = LogLevel.Information, Message = "No older silo is active: resuming the fleet's bots as the cluster starts")]
    private partial void LogClusterStarted();
}
