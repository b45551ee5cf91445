using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Apis;

public static partial class JobsApi
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Bot {BotId} claimed {Count} job(s) (limit {Limit})")]
    private static partial void LogClaimed(ILogger logger, string botId, int count, int limit);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Job {JobId}: {Action} from instance {InstanceId} accepted (repeat: {Repeated})")]
    private static partial void LogReported(ILogger logger, string action, string jobId, string instanceId, bool repeated);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Job {JobId}: {Action} from instance {InstanceId} refused with 409")]
    private static partial void LogReportConflict(ILogger logger, string action, string jobId, string instanceId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "{Count} job(s) submitted")]
    private static partial void LogSubmitted(ILogger logger, int count);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug, Message = "Jobs API {Endpoint} refused a request with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string endpoint, int? statusCode);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Debug, Message = "Bot {BotId} reported {Count} job(s) in one batch, {Accepted} accepted")]
    private static partial void LogBatchReported(ILogger logger, string botId, int count, int accepted);
}
