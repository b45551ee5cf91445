namespace BotFleet.Storage;

/// <summary>ADO.NET invariant names the Orleans providers understand.</summary>
internal static class AdoNetInvariants
{
    /// <summary>
    /// SQLite. Orleans maps this name to Microsoft.Data.Sqlite; the name "Microsoft.Data.Sqlite" itself is rejected.
    /// </summary>
    public const string Sqlite = "System.Data.SQLite";

    /// <summary>PostgreSQL through Npgsql.</summary>
    public const string PostgreSql = "Npgsql";
}
