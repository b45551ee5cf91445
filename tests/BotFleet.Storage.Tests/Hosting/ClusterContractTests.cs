using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>
/// What a store's cluster owes Orleans whatever the dialect: the membership table and the grain storage behave as
/// Orleans expects. Each dialect's cluster tests derive from this, so both run the same checks.
/// </summary>
public abstract class ClusterContractTests(TestCluster cluster, int activeSilos)
{
    [Fact]
    public async Task MembershipTable_HeartbeatCleanupAndStaleVersions_BehaveAsOrleansExpects()
    {
        var table = ClusterRestarts.ServicesOf(cluster.Silos[0]).GetRequiredService<IMembershipTable>();

        await MembershipTableContract.AssertAsync(table, activeSilos);
    }

    [Fact]
    public async Task GrainStorage_StaleETags_ThrowInconsistentState()
    {
        var storage = ClusterRestarts.ServicesOf(cluster.Silos[0]).GetRequiredKeyedService<IGrainStorage>(BotFleetStores.Name);

        foreach (var grainId in GrainStorageContract.KeyShapes())
        {
            await GrainStorageContract.AssertVersioningAsync(storage, grainId);
        }
    }

    [Fact]
    public async Task GrainStorage_DeleteStateOnClear_RemovesRow()
    {
        var storage = ClusterRestarts.ServicesOf(cluster.Silos[0]).GetRequiredKeyedService<IGrainStorage>(TestSettings.DeletingStore);

        foreach (var grainId in GrainStorageContract.KeyShapes())
        {
            await GrainStorageContract.AssertDeleteOnClearAsync(storage, grainId);
        }
    }

    /// <summary>Deploys <paramref name="silos"/> silos that find each other (and the client its gateways) through the store's membership table.</summary>
    internal static async Task<TestCluster> DeployAsync<TSilo, TClient>(int silos, string setting, string value)
        where TSilo : ISiloConfigurator, new()
        where TClient : IClientBuilderConfigurator, new()
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[setting] = value;
        builder.AddSiloBuilderConfigurator<TSilo>();
        builder.AddClientBuilderConfigurator<TClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    internal static async Task StopAsync(TestCluster? cluster)
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
