using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Tests.Fakes;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

/// <summary>
/// <see cref="ISchedulerGrain.MoveToAsync"/> on two silos. A bot moves once its activation is idle, and a bot whose turn
/// it is waits at the server in a long-poll claim (up to 30 s shipped): it must give up that wait when asked to move, or
/// the move, and every call to the bot meanwhile (the roster's fleet status among them), waits out the claim.
/// </summary>
public sealed class MoveToTests : IAsyncLifetime
{
    // Silo configurators are created by type, so what they share with the test is static; this class has one test.
    private static readonly FakeJobApi Api = new() { ConfigMaxClaimWaitMs = 30_000 };

    // A server with no work holds each waiting claim; this one holds it until the bot gives up.
    private readonly TaskCompletionSource<ClaimResponse<JsonElement>> _noWork = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        Api.ClaimOverride = _ => _noWork.Task;
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Api.ClaimOverride = null;
        _noWork.TrySetResult(new ClaimResponse<JsonElement>([]));
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task ABotWaitingAtTheServer_AskedToMove_GivesUpItsWaitAndClaimsAgainFromTheOtherSilo()
    {
        var bot = _cluster.Client.GetGrain<ISchedulerGrain>("mover");
        await bot.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 1 });
        await Eventually.TrueAsync(() => WaitingClaims() == 1, "the bot's claim waiting at the server");
        var before = await bot.GetStatusAsync();
        var target = _cluster.Silos.Select(s => s.SiloAddress).Single(address => address.ToString() != before.Silo);

        await bot.MoveToAsync(target);

        // Well inside the 30 s the claim could have waited, and the 30 s a call to the bot may take.
        await Eventually.ValueAsync(bot.GetStatusAsync, s => s.Silo == target.ToString(), "the bot on the other silo", TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(() => WaitingClaims() == 2, "the moved bot's claim waiting at the server");
        var after = await bot.GetStatusAsync();

        Assert.Equal(BotState.Active, after.State);
        Assert.Equal(target.ToString(), after.Silo);
        Assert.NotEqual(before.InstanceId, after.InstanceId);
        Assert.Equal(0, after.OutboxSize);
        Assert.Equal(2, WaitingClaims());
    }

    private static int WaitingClaims() => Api.Calls.OfType<ClaimCall>().Count(c => c.WaitMs > 0);

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddFakeJobApiScheduling(Api);
    }
}
