using System.Data.Common;
using Npgsql;

namespace BotFleet.JobServer.Storage.PostgreSql;

/// <summary>
/// The connection string the job store opens its data source with: the user's, plus Npgsql's automatic statement
/// preparation when the user did not choose (<c>Max Auto Prepare</c>). Each claim and report otherwise sends its SQL
/// to be parsed and planned again; prepared, PostgreSQL plans the claim's CTE once per connection (issue 7).
/// <c>Max Auto Prepare=0</c> turns it off, for a pooler that cannot keep prepared statements (PgBouncer before 1.21
/// in transaction mode).
/// </summary>
internal static class PostgreSqlJobStoreConnectionString
{
    /// <summary>Room for every statement the store sends (about 30), so the hot ones are never evicted.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static string From(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!ChoosesAutoPrepare(connectionString))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether the string names the setting itself, by either of the keywords Npgsql accepts.</summary>
    private static bool ChoosesAutoPrepare(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare");
    }
}
