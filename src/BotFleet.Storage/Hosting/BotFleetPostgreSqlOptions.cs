using BotFleet.Settings;

namespace BotFleet.Storage.Hosting;

/// <summary>Options for <c>UseBotFleetPostgreSql</c>.</summary>
public sealed class BotFleetPostgreSqlOptions
{
    /// <summary>Npgsql connection string of an existing database. Required.</summary>
    [Secret]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Configure ADO.NET clustering on the same database. Default true.</summary>
    public bool UseClustering { get; set; } = true;

    /// <summary>Create or update the schema when the silo starts, before any provider uses it. Default true.</summary>
    public bool EnsureSchema { get; set; } = true;
}
