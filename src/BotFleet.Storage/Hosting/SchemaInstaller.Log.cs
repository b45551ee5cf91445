using Microsoft.Extensions.Logging;

namespace BotFleet.Storage.Hosting;

internal sealed partial class SchemaInstaller
{
    [LoggerMessage(EventId = 4111, Level = LogLevel.Information,
        Message = "Orleans schema ensured on {Database} in {ElapsedMilliseconds:F0} ms")]
    private partial void LogSchemaEnsured(string database, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Error,
        Message = "Could not ensure the Orleans schema on {Database}; the silo will not start")]
    private partial void LogSchemaFailed(Exception exception, string database);
}
