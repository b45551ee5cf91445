using Microsoft.Extensions.Logging;

namespace BotFleet.Storage.Hosting;

internal sealed partial class SchemaInstaller
{
    [LoggerMessage(EventId = StorageLogEvents.SchemaEnsured, Level = LogLevel.Information,
        Message = "Orleans schema ensured on {Database} in {ElapsedMilliseconds:F0} ms")]
    private partial void LogSchemaEnsured(string database, double elapsedMilliseconds);

    [LoggerMessage(EventId = StorageLogEvents.SchemaFailed, Level = LogLevel.Error,
        Message = "Could not ensure the Orleans schema on {Database}; the silo will not start")]
    private partial void LogSchemaFailed(Exception exception, string database);
}
