using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Storage.PostgreSql;

internal sealed partial class PostgreSqlJobStore
{
    [LoggerMessage(EventId = JobServerLogEvents.PostgreSqlJobStoreSchemaReady, Level = LogLevel.Information, Message = "Job store ready: PostgreSQL database {Database} on {Host}, schema version {SchemaVersion}")]
    private static partial void LogSchemaReady(ILogger logger, string? database, string? host, int schemaVersion);

    [LoggerMessage(EventId = JobServerLogEvents.PostgreSqlJobStoreLeasesExpired, Level = LogLevel.Information, Message = "{Count} job lease(s) expired and were returned to the queue")]
    private static partial void LogLeasesExpired(ILogger logger, int count);

    [LoggerMessage(EventId = JobServerLogEvents.PostgreSqlJobStoreSchemaMigrated, Level = LogLevel.Information, Message = "Job store PostgreSQL database {Database} migrated to schema version {SchemaVersion}")]
    private static partial void LogSchemaMigrated(ILogger logger, string? database, int schemaVersion);
}
