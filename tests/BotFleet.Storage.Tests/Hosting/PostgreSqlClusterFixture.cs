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
        Cluster = await ClusterContractTests.DeployAsync<PostgreSqlSiloConfigurator, PostgreSqlClientConfigurator>(2, TestSettings.PostgreSql, ConnectionString);
    }

    public async ValueTask DisposeAsync() => await ClusterContractTests.StopAsync(Cluster);
}
