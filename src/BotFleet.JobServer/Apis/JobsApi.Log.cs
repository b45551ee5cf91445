using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Apis;

public static partial class JobsApi
{
    [LoggerMessage(EventId = JobServerLogEvents.JobsClaimed, Level = LogLevel.Debug, Message = "Bot {BotId} claimed {Count} job(s) (limit {Limit})")]
    private static partial void LogClaimed(ILogger logger, string botId, int count, int limit);

    [LoggerMessage(EventId = JobServerLogEvents.JobReported, Level = LogLevel.Debug, Message = "Job {JobId}: {Action} from instance {InstanceId} accepted (repeat: {Repeated})")]
    private static partial void LogReported(ILogger logger, string action, string jobId, string instanceId, bool repeated);

    [LoggerMessage(EventId = JobServerLogEvents.ReportConflict, Level = LogLevel.Debug, Message = "Job {JobId}: {Action} from instance {InstanceId} refused with 409")]
    private static partial void LogReportConflict(ILogger logger, string action, string jobId, string instanceId);

    [LoggerMessage(EventId = JobServerLogEvents.JobsSubmitted, Level = LogLevel.Debug, Message = "{Count} job(s) submitted")]
    private static partial void LogSubmitted(ILogger logger, int count);

    [LoggerMessage(EventId = JobServerLogEvents.JobRequestRejected, Level = LogLevel.Debug, Message = "Jobs API {Endpoint} refused a request with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string endpoint, int? statusCode);

    [LoggerMessage(EventId = JobServerLogEvents.BatchReported, Level = LogLevel.Debug, Message = "Bot {BotId} reported {Count} job(s) in one batch, {Accepted} accepted")]
    private static partial void LogBatchReported(ILogger logger, string botId, int count, int accepted);
}
