using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>
/// A bot keeps nothing per finished job: after 20,000 more jobs its retained heap is where it was after 2,000. Runs alone
/// (the GC heap is the process's), against a fake job API that keeps no history.
/// </summary>
[Collection(MemoryTests.Name)]
public sealed class MemoryTests
{
    public const string Name = "memory";

    [Fact]
    public async Task RetainedHeap_After10TimesMoreJobs_GrowsByLessThan1MiB()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 100, claimBatchSize: 100);
        h.Api.OffersBatchReports = true;
        h.Api.KeepHistory = false;

        await RunAsync(h, 2_000, 0);
        var afterWarmUp = RetainedBytes();
        await RunAsync(h, 20_000, 2_000);
        var after = RetainedBytes();

        Assert.Equal(22_000, h.Api.AcceptedCount);
        Assert.True(after - afterWarmUp < 1_024 * 1_024, $"retained heap grew by {(after - afterWarmUp) / 1024} KiB over 20,000 jobs ({afterWarmUp / 1024} → {after / 1024} KiB)");
    }

    /// <summary>In rounds of 2,000, so the fake queue's own buffer is the same size in both phases.</summary>
    private static async Task RunAsync(SchedulerHarness h, int jobs, int first)
    {
        for (var round = first; round < first + jobs; round += 2_000)
        {
            for (var i = round; i < round + 2_000; i++)
            {
                h.Api.Enqueue("sum", new { a = i, b = 1 }, $"job_{i:D6}");
            }

            await h.RunUntilQueueEmptyAsync(maxTicks: 2_000);
        }
    }

    private static long RetainedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

[CollectionDefinition(MemoryTests.Name, DisableParallelization = true)]
public sealed class MemoryCollection;
