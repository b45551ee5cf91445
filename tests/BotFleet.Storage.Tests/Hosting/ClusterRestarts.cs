using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

internal static class ClusterRestarts
{
    /// <summary>
    /// Stops and starts every silo (so every activation and all in-memory state is gone), then reconnects the client.
    /// </summary>
    public static async Task RestartAllSilosAsync(this TestCluster cluster)
    {
        await cluster.StopClusterClientAsync();
        var before = cluster.Silos.Select(silo => silo.SiloAddress).ToList();
        foreach (var silo in cluster.Silos.ToList())
        {
            await cluster.RestartSiloAsync(silo);
        }

        // New silo generations prove that nothing survived in memory.
        Assert.Empty(cluster.Silos.Select(silo => silo.SiloAddress).Intersect(before));
        Assert.Equal(before.Count, cluster.Silos.Count);
        await cluster.InitializeClientAsync();
    }

    public static IServiceProvider ServicesOf(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).SiloHost.Services;
}
