using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// 1,000 and 100,000 jobs through one bot and through many bots claiming from one queue: every job runs exactly once
/// (by the handlers' own record), no bot's probe ever sees more than its max_concurrency, every job is reported once.
/// What a job costs in CPU is measured by the benchmarks, not here: docs/benchmarks.md (the scaling matrix).
/// </summary>
public sealed class LoadTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public async Task OneBot_RunsEveryJobExactlyOnce_WithinItsLimit(int jobs)
    {
        var api = new FakeJobApi { OffersBatchReports = true };
        await using var bot = new SchedulerHarness(maxConcurrency: 100, claimBatchSize: 100, api: api);
        var ids = Enumerable.Range(0, jobs).Select(i => api.Enqueue("probe", new { i }, $"job_{i:D6}")).ToList();

        await RunUntilDoneAsync([bot], api, jobs);

        Assert.Equal(ids, bot.Probe.Started.Order(StringComparer.Ordinal));
        Assert.InRange(bot.Probe.Peak, 1, 100);
        Assert.Equal(ids, api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        Assert.All(api.Accepted, r => Assert.Equal("complete", r.Action));
        Assert.Equal((jobs, 0L, 0), (bot.Scheduler.GetStatus().JobsCompleted, bot.Scheduler.GetStatus().JobsFailed, bot.Scheduler.InFlight));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public async Task TenBotsOnOneQueue_RunEveryJobExactlyOnce_EachWithinItsLimit(int jobs)
    {
        var api = new FakeJobApi { OffersBatchReports = true };
        var bots = Enumerable.Range(1, 10).Select(i => new SchedulerHarness(maxConcurrency: 8 * i, claimBatchSize: 50, botKey: $"bot-{i}", api: api)).ToList();
        try
        {
            var ids = Enumerable.Range(0, jobs).Select(i => api.Enqueue("probe", new { i }, $"job_{i:D6}")).ToList();

            await RunUntilDoneAsync(bots, api, jobs);

            Assert.Equal(ids, bots.SelectMany(b => b.Probe.Started).Order(StringComparer.Ordinal));
            Assert.All(bots, b => Assert.InRange(b.Probe.Peak, 0, b.Definition.MaxConcurrency));
            Assert.True(bots.Count(b => b.Probe.Started.Count > 0) >= 5, "the work was spread over the fleet");
            Assert.Equal(ids, api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
            Assert.Equal(jobs, bots.Sum(b => b.Scheduler.GetStatus().JobsCompleted));
        }
        finally
        {
            foreach (var bot in bots)
            {
                await bot.DisposeAsync();
            }
        }
    }

    /// <summary>Ticks every bot in turn, as their grains would, waking on freed capacity, until the queue is empty and all drained.</summary>
    private static async Task RunUntilDoneAsync(IReadOnlyList<SchedulerHarness> bots, FakeJobApi api, int jobs)
    {
        var capacity = new SemaphoreSlim(0);
        void OnCapacity() => capacity.Release();
        foreach (var bot in bots)
        {
            bot.Scheduler.CapacityAvailable += OnCapacity;
        }

        try
        {
            for (var round = 0; api.QueuedJobs > 0; round++)
            {
                Assert.True(round < (2 * jobs) + 100, "the fleet stopped making progress");
                await Task.WhenAll(bots.Select(b => b.Scheduler.TickAsync(TestContext.Current.CancellationToken)));
                if (bots.All(b => b.Scheduler.FreeSlots == 0))
                {
                    Assert.True(await capacity.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "no slot came free");
                }
            }

            await Task.WhenAll(bots.Select(b => b.DrainAsync()));
        }
        finally
        {
            foreach (var bot in bots)
            {
                bot.Scheduler.CapacityAvailable -= OnCapacity;
            }
        }
    }
}
