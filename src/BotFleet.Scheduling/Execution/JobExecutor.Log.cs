using Microsoft.Extensions.Logging;

namespace BotFleet.Scheduling.Execution;

public sealed partial class JobExecutor
{
    [LoggerMessage(EventId = SchedulingLogEvents.JobTimedOut, Level = LogLevel.Warning, Message = "Job {JobId} (op={Op}) timed out after {Timeout}")]
    private partial void LogJobTimedOut(string jobId, string op, TimeSpan timeout);

    [LoggerMessage(EventId = SchedulingLogEvents.JobRejected, Level = LogLevel.Debug, Message = "Job {JobId} (op={Op}) failed: {Reason}")]
    private partial void LogJobRejected(string jobId, string op, string reason);

    [LoggerMessage(EventId = SchedulingLogEvents.JobFailed, Level = LogLevel.Warning, Message = "Job {JobId} (op={Op}) failed with an unexpected exception")]
    private partial void LogJobFailed(string jobId, string op, Exception exception);
}
