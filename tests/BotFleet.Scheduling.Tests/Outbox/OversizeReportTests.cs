using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Outbox;

/// <summary>
/// A result larger than the server takes, or a claimed payload larger than the bot runs, ends its job as a failure
/// that says so: the server hears of every job, none is left leased to run again after its lease.
/// </summary>
public sealed class OversizeReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An echo payload (and so result) of exactly 3,011 bytes: {"text":"x…x"} with 3,000 x.</summary>
    private static object BigPayload => new { text = new string('x', 3_000) };

    [Fact]
    public async Task ResultAboveTheAnnouncedLimit_IsReportedFailedSayingSo_AndNeverSentAsComplete()
    {
        await using var h = new SchedulerHarness();
        h.Api.ConfigMaxResultBytes = 2_048;
        h.Api.MaxResultBytes = 2_048;
        var big = h.Api.Enqueue("echo", BigPayload);
        var small = h.Api.Enqueue("sum", new { a = 1, b = 2 });

        await h.TickAndDrainAsync();

        Assert.Equal(2_048, h.Scheduler.Session!.MaxResultBytes);
        Assert.Equal(
            [(small, "complete", (string?)"""{"value":3}""", (string?)null), (big, "fail", null, "result of 2.9 KiB (3011 bytes) exceeds the server's 2 KiB limit")],
            h.Api.Accepted.Select(r => (r.JobId, r.Action, r.Result, r.Error)).OrderBy(r => r.Action, StringComparer.Ordinal));
        Assert.DoesNotContain(h.Api.Calls.OfType<ReportCall>(), r => r.JobId == big && r.Action == "complete");
        Assert.Equal((1, 1, 0L), (h.Scheduler.GetStatus().JobsCompleted, h.Scheduler.GetStatus().JobsFailed, h.Scheduler.GetStatus().ReportsDropped));
        Assert.Equal(h.Definition.MaxConcurrency, h.Scheduler.FreeSlots);
    }

    [Fact]
    public async Task ServerWithoutAnnouncedLimit_AnswersATooLargeComplete413_AndTheBotReportsTheJobFailed()
    {
        await using var h = new SchedulerHarness();
        h.Api.MaxResultBytes = 2_048;
        var big = h.Api.Enqueue("echo", BigPayload);

        await h.TickAndDrainAsync();

        Assert.Equal(BotConfigDefaults.MaxResultBytes, h.Scheduler.Session!.MaxResultBytes);
        var reports = h.Api.Calls.OfType<ReportCall>().ToList();
        Assert.Equal([(big, "complete"), (big, "fail")], reports.Select(r => (r.JobId, r.Action)));
        var failed = Assert.Single(h.Api.Accepted);
        Assert.Equal((big, "fail"), (failed.JobId, failed.Action));
        Assert.Equal(
            "result refused by the server as too large (Job API complete answered 413 Payload Too Large: Field 'result' is 3011 bytes; at most 2048 are accepted.)",
            failed.Error);
        Assert.Empty(h.Scheduler.PendingReports);
    }

    [Fact]
    public async Task TooLargeResultInABatch_IsFollowedByAFailForThatJobOnly_AndTheRestOfTheBatchStands()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 10);
        h.Api.OffersBatchReports = true;
        h.Api.MaxResultBytes = 2_048;
        var wire = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Api.ReportGate = wire.Task;
        var first = h.Api.Enqueue("sum", new { a = 1, b = 1 });
        await h.Scheduler.TickAsync(Ct);
        await Eventually.TrueAsync(() => h.Api.Calls.OfType<ReportCall>().Any(), "the first report on the wire");

        // These finish while the first report is held on the wire, so they go out together in one batch.
        var big = h.Api.Enqueue("echo", BigPayload);
        var small = h.Api.Enqueue("sum", new { a = 2, b = 2 });
        await h.Scheduler.TickAsync(Ct);
        await Eventually.TrueAsync(() => h.Scheduler.GetStatus().JobsCompleted == 3, "every job finished");
        wire.SetResult();
        await h.DrainAsync();

        var batch = Assert.Single(h.Api.Calls.OfType<BatchCall>());
        Assert.Equal(new[] { big, small }.Order(StringComparer.Ordinal), batch.JobIds.Order(StringComparer.Ordinal));
        Assert.Equal(
            [(first, "complete", (string?)null), (small, "complete", null), (big, "fail", "result refused by the server: Field 'result' is 3011 bytes; at most 2048 are accepted.")],
            h.Api.Accepted.Select(r => (r.JobId, r.Action, r.Error)));
        Assert.Equal(0L, h.Scheduler.GetStatus().ReportsDropped);
    }

    [Fact]
    public async Task ClaimedPayloadAboveTheBotsLimit_IsFailedWithoutRunning_AndTakesNoSlot()
    {
        await using var h = new SchedulerHarness(options: new SchedulerOptions { MaxPayloadBytes = 1_024 });
        var big = h.Api.Enqueue("probe", new { text = new string('x', 2_000) });
        var small = h.Api.Enqueue("probe", new { text = "ok" });

        await h.TickAndDrainAsync();

        Assert.Equal([small], h.Probe.Started);
        Assert.Equal(
            [(big, "fail", (string?)"payload of 2 KiB (2011 bytes) exceeds this bot's 1 KiB limit (BotFleet:Scheduler:MaxPayloadBytes)"), (small, "complete", null)],
            h.Api.Accepted.Select(r => (r.JobId, r.Action, r.Error)).OrderBy(r => r.Action == "complete"));
        Assert.Equal(h.Definition.MaxConcurrency, h.Scheduler.FreeSlots);
    }
}
