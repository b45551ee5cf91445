using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Retention;

internal sealed partial class JobRetention
{
    [LoggerMessage(EventId = JobServerLogEvents.JobsPruned, Level = LogLevel.Information, Message = "Pruned {Count} {Status} job(s) older than {Retention}")]
    private static partial void LogPruned(ILogger logger, int count, string status, TimeSpan retention);

    [LoggerMessage(EventId = JobServerLogEvents.PruneFailed, Level = LogLevel.Warning, Message = "Pruning finished jobs failed; the next interval tries again")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
