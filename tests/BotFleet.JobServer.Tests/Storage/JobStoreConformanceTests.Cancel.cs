using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Tests.Storage;

// An operator's cancel, on both stores: what it does to the job, what the bot hears, and the log line and count when
// the job ends cancelled (at once, by the bot's failure report, or by the lease running out).
public abstract partial class JobStoreConformanceTests
{
    [Fact]
    public async Task Cancel_PendingJob_EndsItCancelled_LogsAndCountsItOnce()
    {
        var bot = await RegisterAsync("sum");
        var id = await SubmitAsync("sum");

        var first = (await Store.CancelAsync([id], Token))[0];
        var again = (await Store.CancelAsync([id], Token))[0];

        Assert.Equal((JobControlOutcome.Done, JobControlOutcome.Done), (first.Outcome, again.Outcome));
        Assert.Equal((JobStatuses.Cancelled, "cancelled by an operator"), await StatusAndErrorAsync(id));
        Assert.Empty(await ClaimAsync(bot, 1, "sum"));
        Assert.Equal(new StatusCounts(0, 0, 0, 0, 1), (await Store.GetStatsAsync(Token)).ByOp["sum"]);
        var line = Assert.Single(_eventLog.Collector.GetSnapshot());
        Assert.Equal((1804, LogLevel.Information, $"Job {id} (sum) cancelled"), (line.Id.Id, line.Level, line.Message));
        AssertCounted(_cancelled!, ("sum", 1));
    }

    [Fact]
    public async Task Cancel_ManyJobsInOneCall_ActsOnEachAsAloneWould_ResultsInInputOrder_CountsExact()
    {
        var bot = await RegisterAsync("sum");
        var leased = await SubmitAsync("sum");
        await ClaimAsync(bot, 1, "sum");
        var pending = await SubmitAsync("sum");
        var other = await SubmitAsync("echo");
        var completed = await SubmitAsync("divide");
        var divider = await RegisterAsync("divide");
        await ClaimAsync(divider, 1, "divide");
        await ReportOneAsync(divider.BotId, JobReportCommand.Complete(completed, divider.InstanceId, "{}"));

        var results = await Store.CancelAsync([pending, leased, "job_none", completed, other, pending], Token);

        Assert.Equal(
            [(pending, JobControlOutcome.Done, (string?)null), (leased, JobControlOutcome.CancelRequested, null), ("job_none", JobControlOutcome.NotFound, null),
             (completed, JobControlOutcome.WrongStatus, JobStatuses.Completed), (other, JobControlOutcome.Done, null), (pending, JobControlOutcome.Done, null)],
            results.Select(r => (r.JobId, r.Outcome, r.Status)));
        var stats = await Store.GetStatsAsync(Token);
        Assert.Equal(new StatusCounts(0, 1, 0, 0, 1), stats.ByOp["sum"]);
        Assert.Equal(new StatusCounts(0, 0, 0, 0, 1), stats.ByOp["echo"]);
        Assert.Equal([leased], (await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [leased], Token))!.Cancel);
        // Each job's cancel is logged and counted once, however often it was named.
        AssertCounted(_cancelled!, ("sum", 1), ("echo", 1));
    }

    [Fact]
    public async Task Cancel_LeasedJob_ItsBotHearsItWithTheHeartbeat_AndItsFailureEndsItCancelledNotRetried()
    {
        var bot = await RegisterAsync("sum");
        var id = await SubmitAsync("sum", maxAttempts: 3);
        await ClaimAsync(bot, 1, "sum");

        var requested = (await Store.CancelAsync([id], Token))[0];
        var heartbeat = await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [id], Token);
        var report = await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "stopped"));

        Assert.Equal(JobControlOutcome.CancelRequested, requested.Outcome);
        Assert.Equal([id], heartbeat!.Leases);
        Assert.Equal([id], heartbeat.Cancel!);
        Assert.Equal(ReportResult.Accepted, report);
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Cancelled, "stopped", (DateTimeOffset?)StartTime), (job.Status, job.Error, job.CancelRequestedAt));
        Assert.Equal([(AttemptOutcomes.Cancelled, "stopped")], job.Attempts.Select(a => (a.Outcome, a.Error)));
        Assert.Empty(await ClaimAsync(bot, 1, "sum"));
        Assert.Equal(
            [(1803, $"Cancel of job {id} (sum) requested: its bot stops it after its next heartbeat"), (1804, $"Job {id} (sum) cancelled")],
            _eventLog.Collector.GetSnapshot().Select(l => (l.Id.Id, l.Message)));
        AssertCounted(_cancelled!, ("sum", 1));
    }

    [Fact]
    public async Task Sweep_LeaseOfACancelledJobRunsOut_EndsItCancelled_CountedNotDead()
    {
        var bot = await RegisterAsync("sum");
        var id = await SubmitAsync("sum", maxAttempts: 1);
        await ClaimAsync(bot, 1, "sum");
        await Store.CancelAsync([id], Token);
        Time.Advance(LeaseTtl + TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, await Store.SweepExpiredLeasesAsync(Token));

        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Cancelled, AttemptOutcomes.Lost), (job.Status, Assert.Single(job.Attempts).Outcome));
        Assert.Equal([1803, 1804], _eventLog.Collector.GetSnapshot().Select(l => l.Id.Id));
        AssertCounted(_cancelled!, ("sum", 1));
        AssertCounted(_dead!);
    }

    [Fact]
    public async Task Cancel_FinishedOrUnknownJob_IsRefusedAndChangesNothing()
    {
        var bot = await RegisterAsync("sum");
        var completed = await SubmitAsync("sum");
        await ClaimAsync(bot, 1, "sum");
        await ReportOneAsync(bot.BotId, JobReportCommand.Complete(completed, bot.InstanceId, "{}"));

        var onCompleted = (await Store.CancelAsync([completed], Token))[0];
        var onUnknown = (await Store.CancelAsync(["job_none"], Token))[0];

        Assert.Equal(new JobControlResult(completed, JobControlOutcome.WrongStatus, JobStatuses.Completed), onCompleted);
        Assert.Equal(new JobControlResult("job_none", JobControlOutcome.NotFound), onUnknown);
        Assert.Equal(JobStatuses.Completed, (await Store.GetJobAsync(completed, Token))!.Status);
        Assert.Empty(_eventLog.Collector.GetSnapshot());
    }

    [Fact]
    public async Task Heartbeat_WithProgress_StoresItForTheCurrentAttempt_AndKeepsItWhenNoneIsSent()
    {
        var bot = await RegisterAsync("sum");
        var id = await SubmitAsync("sum", maxAttempts: 2);
        var other = await SubmitAsync("sum", maxAttempts: 2);
        await ClaimAsync(bot, 2, "sum");

        await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [id, other], Token, new Dictionary<string, StoredProgress> { [id] = new(62.5, "5 of 8") });
        await Store.HeartbeatAsync(bot.BotId, bot.InstanceId, [id, other], Token);

        Assert.Equal(new StoredProgress(62.5, "5 of 8"), (await Store.GetJobAsync(id, Token))!.Progress);
        Assert.Null((await Store.GetJobAsync(other, Token))!.Progress);
    }

    private async Task<(string Status, string? Error)> StatusAndErrorAsync(string jobId)
    {
        var job = (await Store.GetJobAsync(jobId, Token))!;
        return (job.Status, job.Error);
    }
}
