namespace BotFleet.Silo.Hosting;

public enum SiloStorage
{
    /// <summary>One silo, state in a local SQLite file: no server needed.</summary>
    Sqlite,

    /// <summary>A cluster of silos sharing a PostgreSQL database.</summary>
    PostgreSql,
}
