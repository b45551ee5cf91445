using Microsoft.Extensions.Logging;

namespace BotFleet.Storage.Sqlite;

public sealed partial class SqliteDataSource
{
    [LoggerMessage(EventId = StorageLogEvents.RolledBackOpenTransaction, Level = LogLevel.Warning,
        Message = "A pooled SQLite connection to {DatabasePath} was still inside a transaction; it was rolled back")]
    private partial void LogRolledBackOpenTransaction(string databasePath);
}
