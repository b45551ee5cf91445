using System.Net;
using BotFleet.Contracts.Bots;
using BotFleet.Contracts.Fleet;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace BotFleet.Scheduling.Tests.Cluster;

/// <summary>
/// B4.1 through the real grain: the SchedulerGrain's own timer sends no claim before the time a <c>429</c>'s
/// <c>Retry-After</c> named. Orleans drives grain timers from the silo's <see cref="TimeProvider"/>, so a fake clock
/// in the silo's services moves the grain's timer too, and a minute of waiting takes seconds. The clock flows up to
/// set points rather than standing still while the test calls the grain: a grain call on a clock that stands still can
/// wait for ever on a short timer of the silo's.
/// </summary>
public sealed class RetryAfterOnGrainTimerTests : IAsyncLifetime
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(60);

    // Silo configurators are created by type, so what they share with the test is static; this class has one test.
    private static readonly FakeJobApi Api = new();
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    private TestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestSilo.DeployOnFakeClockAsync<SiloConfigurator>(Time);
    }

    public async ValueTask DisposeAsync() => await _cluster.StopOnFakeClockAsync(Time);

    [Fact]
    public async Task ClaimAnswered429_TheGrainsTimerSendsNoClaimBeforeRetryAfterOnTheSilosClock_ThenClaimsAndRunsTheJob()
    {
        var job = Api.Enqueue("echo", new { n = 1 });
        var claimedAt = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        Api.ClaimFault = _ =>
        {
            claimedAt.Enqueue(Time.GetUtcNow());
            return claimedAt.Count == 1 ? FakeJobApi.ServerError(HttpStatusCode.TooManyRequests, RetryAfter) : null;
        };
        var bot = _cluster.Client.GetGrain<ISchedulerGrain>("throttled-bot");

        // The silo's own machinery waits on the same clock, so the clock flows whenever the test calls the grain; but never
        // as far as the earliest time the server could have named (the first claim comes after the start).
        var started = Time.GetUtcNow();
        BotStatus told;
        DateTimeOffset notBefore;
        await using (FlowingTime.Until(Time, started + RetryAfter - TimeSpan.FromSeconds(10)))
        {
            await bot.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 1 });
            await Eventually.TrueAsync(() => !claimedAt.IsEmpty, "the first claim, answered 429");
            notBefore = claimedAt.First() + RetryAfter;
            told = await Eventually.ValueAsync(bot.GetStatusAsync, s => s.NextTickAt >= notBefore, "the next tick set no earlier than Retry-After");
        }

        // Then on to a millisecond short of the time the server named, where the clock stands while the test looks.
        var statusWhileWaiting = await bot.StatusWhenTheClockReachesAsync(Time, notBefore - TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(500));
        var claimsBeforeRetryAfter = claimedAt.Count;

        await using (FlowingTime.Start(Time))
        {
            await Eventually.TrueAsync(() => Api.Accepted.Any(r => r.JobId == job), "the job claimed and reported once Retry-After passed");
            await bot.StopAsync();
        }

        Assert.Equal(1, claimsBeforeRetryAfter);
        Assert.Equal(BotState.Degraded, statusWhileWaiting.State);
        Assert.Equal("job API answered 429", told.LastError);
        Assert.True(statusWhileWaiting.NextTickAt >= notBefore, $"next tick {statusWhileWaiting.NextTickAt:O}, before {notBefore:O}");
        Assert.All(claimedAt.Skip(1), at => Assert.True(at >= notBefore, $"a claim at {at:O}, before {notBefore:O}"));
        Assert.Equal("complete", Assert.Single(Api.Accepted, r => r.JobId == job).Action);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddFakeJobApiScheduling(Api, Time);
    }
}
