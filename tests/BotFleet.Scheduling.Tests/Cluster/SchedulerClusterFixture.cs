using BotFleet.Scheduling.Registry;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

/// <summary>One in-process silo with the real grains, memory storage, in-memory reminders and the fake job API.</summary>
public sealed class SchedulerClusterFixture : IAsyncLifetime
{
    // Silo configurators are created by type, so the fakes they share with the tests are static.
    public static FakeJobApi Api { get; } = new();

    public static ConcurrencyProbe Probe { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Probe.ReleaseAll();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddFakeJobApiScheduling(Api);
            siloBuilder.Services.AddSingleton(Probe);
            siloBuilder.Services.AddJobHandler<ProbeHandler>("probe");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SchedulerClusterCollection : ICollectionFixture<SchedulerClusterFixture>
{
    public const string Name = "scheduler cluster";
}
