using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

/// <summary>
/// A SchedulerGrain waiting in its silo's idle line keeps no tick timer: it looks on its own only at its first
/// heartbeat after <see cref="SchedulerOptions.IdleLineRecheck"/>, and claims as soon as its turn comes. The silo runs
/// on a fake clock, so minutes of waiting take no real time.
/// </summary>
public sealed class IdleLineOnGrainTimerTests : IAsyncLifetime
{
    private const string Operations = "sum";
    // Not a multiple of the heartbeat interval (30 s), so a look at a heartbeat is told apart from one at the recheck time.
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(95);

    // Silo configurators are created by type, so what they share with the test is static; this class has one test.
    private static readonly FakeJobApi Api = new() { ConfigMaxClaimWaitMs = 30_000 };
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    // The bot's own waiting claim, once its turn comes, waits here as it would at a server with no work.
    private readonly TaskCompletionSource<ClaimResponse<JsonElement>> _waitingClaim = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        Api.ClaimOverride = _ => _waitingClaim.Task;
        _cluster = await TestSilo.DeployOnFakeClockAsync<SiloConfigurator>(Time);
    }

    public async ValueTask DisposeAsync()
    {
        Api.ClaimOverride = null;
        _waitingClaim.TrySetResult(new ClaimResponse<JsonElement>([]));
        await _cluster.StopOnFakeClockAsync(Time);
    }

    [Fact]
    public async Task ABotWaitingInLine_LooksAgainOnlyAtItsFirstHeartbeatPastIdleLineRecheck_AndClaimsWhenItsTurnComes()
    {
        // Another bot of the silo holds the line's waiting claim.
        var relay = _cluster.GetSiloServiceProvider().GetRequiredService<IdleClaimRelay>();
        Assert.True(relay.TryHold(Operations, "another-bot", () => { }));
        var bot = _cluster.Client.GetGrain<ISchedulerGrain>("in-line");
        // The clock flows whenever the test calls the grain (the silo waits on it too), up to set points: first to well
        // before the bot's first heartbeat (30 s), so the bot has not looked again yet.
        BotStatus parked;
        await using (FlowingTime.Until(Time, Time.GetUtcNow() + TimeSpan.FromSeconds(20)))
        {
            await bot.StartAsync(new BotDefinition { Operations = [Operations], MaxConcurrency = 1 });
            await Eventually.TrueAsync(() => relay.Describe(Operations).InLine == 1, "the bot in line");
            parked = await Eventually.ValueAsync(bot.GetStatusAsync, s => s.NextTickAt > Time.GetUtcNow() + TimeSpan.FromSeconds(60), "the bot's next look set a recheck away");
        }

        var recheckAt = parked.NextTickAt!.Value;
        // Heartbeats (every 30 s) before the recheck time leave it waiting. Steps of a second, as minutes pass: a timer
        // of the bot's own would still fire within a step of its time.
        var beforeRecheck = await bot.StatusWhenTheClockReachesAsync(Time, recheckAt - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var looked = await bot.StatusWhenTheClockReachesAsync(Time, recheckAt + TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(1));
        var claimsWhileInLine = Api.Claims.Count;

        await using (FlowingTime.Start(Time))
        {
            relay.PassTurn(Operations, "another-bot");
            await Eventually.TrueAsync(() => Api.Claims.Count == 1, "the bot's claim once its turn came");
        }

        Assert.Equal(BotState.Active, parked.State);
        Assert.InRange(recheckAt, parked.LastTickAt!.Value + Recheck, parked.LastTickAt.Value + Recheck + TimeSpan.FromSeconds(15));
        Assert.Equal(recheckAt, beforeRecheck.NextTickAt);
        // The heartbeats run every 30 s from the bot's first ticks, so the first one past the recheck comes up to 25 s
        // after it; a timer of its own would have looked within a step (1 s) of the recheck.
        Assert.InRange(looked.LastTickAt!.Value, recheckAt + TimeSpan.FromSeconds(2), recheckAt + TimeSpan.FromSeconds(31));
        Assert.InRange(looked.NextTickAt!.Value, looked.LastTickAt.Value + Recheck, looked.LastTickAt.Value + Recheck + TimeSpan.FromSeconds(5));
        Assert.Equal(0, claimsWhileInLine);
        Assert.Equal(30_000, Assert.Single(Api.Claims).WaitMs);
        Assert.Equal(("in-line", 0), relay.Describe(Operations));
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddFakeJobApiScheduling(Api, Time, o => o.IdleLineRecheck = Recheck);
    }
}
