using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Apis;

public static partial class JobControlApi
{
    [LoggerMessage(EventId = JobServerLogEvents.JobControlRequestRejected, Level = LogLevel.Debug, Message = "Job API refused a {Action} request with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string action, int? statusCode);
}
