using BotFleet.Storage.Hosting;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>One silo on SQLite, with ADO.NET membership in the same file (the test host owns the ports).</summary>
public sealed class SqliteSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var path = siloBuilder.Configuration[TestSettings.SqlitePath]
            ?? throw new InvalidOperationException($"{TestSettings.SqlitePath} is not set.");
        siloBuilder.UseBotFleetSqlite(options =>
        {
            options.DatabasePath = path;
            options.Clustering = SqliteClusteringMode.AdoNet;
        });
        siloBuilder.AddAdoNetGrainStorage(TestSettings.DeletingStore, options =>
        {
            options.Invariant = "System.Data.SQLite";
            options.ConnectionString = $"Data Source={path}";
            options.DeleteStateOnClear = true;
        });
    }
}
