using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Storage.PostgreSql;

public sealed partial class PostgreSqlJobStore
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Job store ready: PostgreSQL database {Database} on {Host}, schema version {SchemaVersion}")]
    private static partial void LogSchemaReady(ILogger logger, string? database, string? host, int schemaVersion);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "{Count} job lease(s) expired and were returned to the queue")]
    private static partial void LogLeasesExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Job store PostgreSQL database {Database} migrated to schema version {SchemaVersion}")]
    private static partial void LogSchemaMigrated(ILogger logger, string? database, int schemaVersion);
}
