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
/// in the silo's services moves the grain's timer too, and 30 s of waiting takes no real time.
/// </summary>
public sealed class RetryAfterOnGrainTimerTests : IAsyncLifetime
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

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

        // The silo's own machinery waits on the same clock: let it run (fast) until the bot has been refused.
        await using (FlowingTime.Start(Time))
        {
            await bot.StartAsync(new BotDefinition { Operations = ["echo"], MaxConcurrency = 1 });
            await Eventually.TrueAsync(() => !claimedAt.IsEmpty, "the first claim, answered 429");
        }

        var refusedAt = claimedAt.First();
        var notBefore = refusedAt + RetryAfter;
        var told = await Eventually.ValueAsync(bot.GetStatusAsync, s => s.NextTickAt >= notBefore, "the next tick set no earlier than Retry-After");
        // Step the clock to just short of the time the server named, giving the grain's timer real time at each step.
        await Time.StepToAsync(notBefore - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var claimsBeforeRetryAfter = claimedAt.Count;
        var statusWhileWaiting = await bot.GetStatusAsync();
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
