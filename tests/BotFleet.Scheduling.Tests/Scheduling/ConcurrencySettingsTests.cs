using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// max_concurrency 1, 10 and 100 with claim batches of 1, of 100, and larger than the free slots: each claim asks for
/// min(batch, free slots), and the peak measured inside the handlers is exactly max_concurrency.
/// </summary>
public sealed class ConcurrencySettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 100)]
    [InlineData(10, 1)]
    [InlineData(10, 100)]
    [InlineData(100, 25)]
    [InlineData(100, 100)]
    public async Task HeldJobs_FillExactlyMaxConcurrencySlots_InClaimsOfTheBatchOrTheFreeSlots_AndEveryJobRunsOnce(int maxConcurrency, int batch)
    {
        await using var h = new SchedulerHarness(maxConcurrency: maxConcurrency, claimBatchSize: batch);
        var ids = Enumerable.Range(0, (3 * maxConcurrency) + 5).Select(i => h.Api.Enqueue("probe", new { i })).ToList();
        h.Probe.HoldJobs = true;

        // While every job is held, ticks fill the slots and then claim nothing.
        for (var tick = 0; tick <= maxConcurrency + 1; tick++)
        {
            await h.Scheduler.TickAsync(Ct);
        }

        await h.Probe.WaitForStartedAsync(maxConcurrency);
        var limits = h.Api.Claims.Select(c => c.Limit).ToList();
        var runningWhileHeld = h.Probe.Running;
        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.RunUntilQueueEmptyAsync();

        var expected = Enumerable.Range(0, (maxConcurrency + batch - 1) / batch).Select(k => Math.Min(batch, maxConcurrency - (k * batch)));
        Assert.Equal(expected, limits);
        Assert.Equal(maxConcurrency, runningWhileHeld);
        Assert.Equal(maxConcurrency, h.Probe.Peak);
        Assert.Equal(ids.Order(StringComparer.Ordinal), h.Probe.Started.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), h.Api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        Assert.All(h.Api.Claims, c => Assert.InRange(c.Limit, 1, Math.Min(batch, maxConcurrency)));
    }
}
