using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Scheduling;

public sealed partial class HeartbeatCoalescer
{
    [LoggerMessage(EventId = SchedulingLogEvents.HeartbeatBatchUnsupported, Level = LogLevel.Information, Message = "The job server has no heartbeat batch (it answered {StatusCode}): bots heartbeat one by one")]
    private static partial void LogBatchUnsupported(ILogger logger, int statusCode);

    [LoggerMessage(EventId = SchedulingLogEvents.HeartbeatBatchTooLarge, Level = LogLevel.Warning, Message = "The job server refused a batch of {Count} heartbeat(s) as too large: sent one by one")]
    private static partial void LogBatchTooLarge(ILogger logger, int count);

    [LoggerMessage(EventId = SchedulingLogEvents.HeartbeatBatchFailed, Level = LogLevel.Debug, Message = "A batch of {Count} heartbeat(s) failed; each bot tries again at its next interval")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
