namespace BotFleet.Storage.Hosting;

/// <summary>Options for <c>UseBotFleetSqlite</c>.</summary>
public sealed class BotFleetSqliteOptions
{
    /// <summary>Path of the SQLite database file; created if missing. Required.</summary>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>How cluster membership is configured. Default <see cref="SqliteClusteringMode.Localhost"/>.</summary>
    public SqliteClusteringMode Clustering { get; set; } = SqliteClusteringMode.Localhost;

    /// <summary>Silo-to-silo port for <see cref="SqliteClusteringMode.Localhost"/>. Default 11111; 1–65535.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port for <see cref="SqliteClusteringMode.Localhost"/>. Default 30000; 1–65535.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>How long a connection waits for SQLite's write lock. Default 30 s; 0 to 10 minutes.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Create or update the schema when the silo starts, before any provider uses it. Default true.</summary>
    public bool EnsureSchema { get; set; } = true;
}
