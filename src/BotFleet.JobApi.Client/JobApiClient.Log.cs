using Microsoft.Extensions.Logging;

namespace BotFleet.JobApi.Client;

public sealed partial class JobApiClient
{
    [LoggerMessage(EventId = JobApiLogEvents.CallUnanswered, Level = LogLevel.Debug, Message = "Job API {Operation}: no answer")]
    private static partial void LogNoAnswer(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = JobApiLogEvents.CallRefused, Level = LogLevel.Debug, Message = "Job API {Operation} answered {StatusCode}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string operation, int statusCode, string detail);
}
