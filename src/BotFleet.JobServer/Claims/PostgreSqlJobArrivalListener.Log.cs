using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Claims;

internal sealed partial class PostgreSqlJobArrivalListener
{
    [LoggerMessage(EventId = JobServerLogEvents.ArrivalListenerStarted, Level = LogLevel.Information, Message = "Listening for job arrivals on PostgreSQL channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = JobServerLogEvents.ArrivalListenerFailed, Level = LogLevel.Warning, Message = "Listening for job arrivals failed; retrying in {RetrySeconds} s")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, double retrySeconds);
}
