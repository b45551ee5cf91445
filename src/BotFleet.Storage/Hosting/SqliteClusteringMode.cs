namespace BotFleet.Storage.Hosting;

/// <summary>How <c>UseBotFleetSqlite</c> configures cluster membership.</summary>
public enum SqliteClusteringMode
{
    /// <summary>
    /// Orleans' localhost development clustering on <see cref="BotFleetSqliteOptions.SiloPort"/> and
    /// <see cref="BotFleetSqliteOptions.GatewayPort"/>: one silo, membership in memory. The default.
    /// </summary>
    Localhost,

    /// <summary>
    /// ADO.NET clustering with the membership table in the same SQLite file. Meant for one silo (or several
    /// on one machine); SQLite is a single-writer file, not a cluster database.
    /// </summary>
    AdoNet,

    /// <summary>Leave clustering alone: the caller (or a test host) configures it.</summary>
    None,
}
