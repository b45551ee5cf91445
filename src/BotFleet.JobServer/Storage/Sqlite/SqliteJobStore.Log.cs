using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Storage.Sqlite;

internal sealed partial class SqliteJobStore
{
    [LoggerMessage(EventId = JobServerLogEvents.SqliteJobStoreSchemaReady, Level = LogLevel.Information, Message = "Job store ready: SQLite {DatabasePath}, schema version {SchemaVersion}")]
    private static partial void LogSchemaReady(ILogger logger, string databasePath, int schemaVersion);

    [LoggerMessage(EventId = JobServerLogEvents.SqliteJobStoreSchemaMigrated, Level = LogLevel.Information, Message = "Job store SQLite {DatabasePath} migrated to schema version {SchemaVersion}")]
    private static partial void LogSchemaMigrated(ILogger logger, string databasePath, int schemaVersion);

    [LoggerMessage(EventId = JobServerLogEvents.SqliteJobStoreLeasesExpired, Level = LogLevel.Information, Message = "{Count} job lease(s) expired and were returned to the queue")]
    private static partial void LogLeasesExpired(ILogger logger, int count);
}
