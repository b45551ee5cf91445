using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer;

public static partial class StartupFailure
{
    private static partial class Log
    {
        [LoggerMessage(EventId = JobServerLogEvents.StartRefused, Level = LogLevel.Debug, Message = "Start refused: {Reason}")]
        public static partial void StartRefused(ILogger logger, string reason, Exception exception);
    }
}
