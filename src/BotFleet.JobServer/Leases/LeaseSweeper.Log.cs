using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Leases;

internal sealed partial class LeaseSweeper
{
    [LoggerMessage(EventId = JobServerLogEvents.LeaseSweepFailed, Level = LogLevel.Warning, Message = "Sweeping expired job leases failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
