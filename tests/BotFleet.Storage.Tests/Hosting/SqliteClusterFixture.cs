using BotFleet.Storage.Tests.Fixtures;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>A one-silo test cluster on a temp SQLite file, with SQLite membership instead of the in-memory one.</summary>
public sealed class SqliteClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();

    public TestCluster Cluster { get; private set; } = null!;

    public string DatabasePath => _folder.File("cluster.db");

    public async ValueTask InitializeAsync()
    {
        Cluster = await ClusterContractTests.DeployAsync<SqliteSiloConfigurator, SqliteClientConfigurator>(1, TestSettings.SqlitePath, DatabasePath);
    }

    public async ValueTask DisposeAsync()
    {
        await ClusterContractTests.StopAsync(Cluster);
        _folder.Dispose();
    }
}
