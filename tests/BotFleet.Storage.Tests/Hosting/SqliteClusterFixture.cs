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
        var builder = new TestClusterBuilder(1);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[TestSettings.SqlitePath] = DatabasePath;
        builder.AddSiloBuilderConfigurator<SqliteSiloConfigurator>();
        builder.AddClientBuilderConfigurator<SqliteClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        _folder.Dispose();
    }
}
