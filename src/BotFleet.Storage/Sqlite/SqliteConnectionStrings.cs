using Microsoft.Data.Sqlite;

namespace BotFleet.Storage.Sqlite;

/// <summary>Builds the connection string BotFleet uses for a SQLite database file.</summary>
internal static class SqliteConnectionStrings
{
    public static string ForFile(string fullPath) => new SqliteConnectionStringBuilder
    {
        DataSource = fullPath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
    }.ToString();
}
