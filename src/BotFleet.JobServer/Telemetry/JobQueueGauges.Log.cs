using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Telemetry;

internal sealed partial class JobQueueGauges
{
    [LoggerMessage(EventId = JobServerLogEvents.QueueGaugeRefreshFailed, Level = LogLevel.Warning, Message = "Reading the job queue for its gauges failed; they keep the last snapshot")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
