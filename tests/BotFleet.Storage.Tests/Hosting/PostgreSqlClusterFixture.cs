using BotFleet.Storage.Tests.Fixtures;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>A two-silo test cluster whose silos find each other through PostgreSQL membership.</summary>
public sealed class PostgreSqlClusterFixture(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>Put in the connection string so tests can prove it never reaches a log.</summary>
    public const string Password = "not-logged-3f9c1a";

    public TestCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await postgres.CreateDatabaseAsync(Password);
        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[TestSettings.PostgreSql] = ConnectionString;
        builder.AddSiloBuilderConfigurator<PostgreSqlSiloConfigurator>();
        builder.AddClientBuilderConfigurator<PostgreSqlClientConfigurator>();
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
    }
}
