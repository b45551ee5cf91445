namespace BotFleet.JobServer.Storage;

/// <summary>The job store behind the server (JobServer:Store).</summary>
public enum JobStoreKind
{
    /// <summary>One SQLite file (JobServer:DatabasePath); one server process.</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL database (JobServer:PostgreSqlConnectionString) that several server processes may share.</summary>
    PostgreSql = 1,
}
