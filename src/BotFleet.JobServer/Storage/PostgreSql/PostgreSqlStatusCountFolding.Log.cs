using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Storage.PostgreSql;

internal sealed partial class PostgreSqlStatusCountFolding
{
    [LoggerMessage(EventId = JobServerLogEvents.StatusCountFoldFailed, Level = LogLevel.Warning, Message = "Folding the job status counts failed")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}
