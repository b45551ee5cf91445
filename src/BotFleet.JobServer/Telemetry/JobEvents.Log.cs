using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Telemetry;

public sealed partial class JobEvents
{
    [LoggerMessage(EventId = JobServerLogEvents.JobDead, Level = LogLevel.Warning, Message = "Job {JobId} ({Op}) is dead after {Attempts} attempt(s): {Error}")]
    private static partial void LogJobDead(ILogger logger, string jobId, string op, int attempts, string? error);

    [LoggerMessage(EventId = JobServerLogEvents.JobsRequeued, Level = LogLevel.Information, Message = "{Count} dead {Op} job(s) requeued with {Attempts} more attempt(s) each")]
    private static partial void LogJobsRequeued(ILogger logger, int count, string op, int attempts);

    [LoggerMessage(EventId = JobServerLogEvents.JobsDiscarded, Level = LogLevel.Information, Message = "{Count} dead {Op} job(s) discarded")]
    private static partial void LogJobsDiscarded(ILogger logger, int count, string op);

    [LoggerMessage(EventId = JobServerLogEvents.CancelRequested, Level = LogLevel.Information, Message = "Cancel of job {JobId} ({Op}) requested: its bot stops it after its next heartbeat")]
    private static partial void LogCancelRequested(ILogger logger, string jobId, string op);

    [LoggerMessage(EventId = JobServerLogEvents.JobCancelled, Level = LogLevel.Information, Message = "Job {JobId} ({Op}) cancelled")]
    private static partial void LogJobCancelled(ILogger logger, string jobId, string op);
}
