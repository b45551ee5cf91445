using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace BotFleet.JobServer.Tests.Storage;

// Jobs going dead (a log line and a metric each) and an operator's actions on dead jobs: requeue and discard.
public abstract partial class JobStoreConformanceTests
{
    private readonly ServiceProvider _telemetry = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<JobEvents> _eventLog = new();
    private MetricCollector<long>? _dead;
    private MetricCollector<long>? _requeued;
    private MetricCollector<long>? _discarded;
    private MetricCollector<long>? _cancelled;
    private JobEvents? _events;

    /// <summary>The events the store under test reports to: a fake log and the real meter, read by collectors.</summary>
    private JobEvents Events
    {
        get
        {
            if (_events is null)
            {
                var meters = _telemetry.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                _dead = new MetricCollector<long>(meters, JobServerMetrics.MeterName, "botfleet.jobs.dead");
                _requeued = new MetricCollector<long>(meters, JobServerMetrics.MeterName, "botfleet.jobs.requeued");
                _discarded = new MetricCollector<long>(meters, JobServerMetrics.MeterName, "botfleet.jobs.discarded");
                _cancelled = new MetricCollector<long>(meters, JobServerMetrics.MeterName, "botfleet.jobs.cancelled");
                _events = new JobEvents(new JobServerMetrics(meters), _eventLog);
            }

            return _events;
        }
    }

    [Fact]
    public async Task Fail_LastAttempt_LogsAndCountsTheDeadJobOnce()
    {
        var bot = await RegisterAsync("sum");
        var id = await SubmitAsync("sum", maxAttempts: 1);
        await ClaimAsync(bot, 1, "sum");

        var first = await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "boom"));
        var repeat = await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, "boom"));

        Assert.Equal((ReportResult.Accepted, ReportResult.Repeated), (first, repeat));
        var line = Assert.Single(_eventLog.Collector.GetSnapshot());
        Assert.Equal((1800, LogLevel.Warning, $"Job {id} (sum) is dead after 1 attempt(s): boom"), (line.Id.Id, line.Level, line.Message));
        AssertCounted(_dead!, ("sum", 1));
    }

    [Fact]
    public async Task Sweep_LastLeaseLost_LogsAndCountsOnlyTheJobThatWentDead()
    {
        var bot = await RegisterAsync("sum", "echo");
        var dying = await SubmitAsync("echo", maxAttempts: 1);
        await SubmitAsync("sum", maxAttempts: 2);
        await ClaimAsync(bot, 2, "sum", "echo");
        Time.Advance(LeaseTtl + TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, await Store.SweepExpiredLeasesAsync(Token));

        var line = Assert.Single(_eventLog.Collector.GetSnapshot());
        Assert.Equal($"Job {dying} (echo) is dead after 1 attempt(s): lease expired", line.Message);
        AssertCounted(_dead!, ("echo", 1));
    }

    [Fact]
    public async Task Claim_AfterTheLastLeaseRanOut_LogsTheJobItsSweepMadeDead()
    {
        var bot = await RegisterAsync("sum");
        var id = await SubmitAsync("sum", maxAttempts: 1);
        await ClaimAsync(bot, 1, "sum");
        Time.Advance(LeaseTtl + TimeSpan.FromMilliseconds(1));

        Assert.Empty(await ClaimAsync(bot, 1, "sum"));

        Assert.Equal(JobStatuses.Dead, (await Store.GetJobAsync(id, Token))!.Status);
        Assert.Equal($"Job {id} (sum) is dead after 1 attempt(s): lease expired", Assert.Single(_eventLog.Collector.GetSnapshot()).Message);
        AssertCounted(_dead!, ("sum", 1));
    }

    [Fact]
    public async Task Requeue_DeadJob_IsClaimableAtOnceWithMoreAttemptsAndKeepsItsHistory()
    {
        var bot = await RegisterAsync("sum");
        var id = await DeadJobAsync(bot, "sum", maxAttempts: 2);
        Time.Advance(TimeSpan.FromMinutes(5));

        var result = Assert.Single(await Store.RequeueAsync([id], 3, Token));

        Assert.Equal(new JobControlResult(id, JobControlOutcome.Done), result);
        var job = (await Store.GetJobAsync(id, Token))!;
        Assert.Equal((JobStatuses.Pending, 2, 5, "error 2", Now, Now), (job.Status, job.Attempt, job.MaxAttempts, job.Error, job.RunAfter, job.UpdatedAt));
        Assert.Equal(["error 1", "error 2"], job.Attempts.Select(a => a.Error));
        Assert.Equal(new StatusCounts(1, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
        var claimed = Assert.Single(await ClaimAsync(bot, 1, "sum"));
        Assert.Equal((id, 3, 2), (claimed.Id, claimed.Attempt, claimed.PreviousAttempts.Count));
        AssertCounted(_requeued!, ("sum", 1));
        Assert.Equal("1 dead sum job(s) requeued with 3 more attempt(s) each", _eventLog.Collector.LatestRecord.Message);
    }

    [Fact]
    public async Task Requeue_NamedJobs_AnswersEachInInputOrderAndChangesOnlyTheDeadOnes()
    {
        var bot = await RegisterAsync("sum");
        var dead = await DeadJobAsync(bot, "sum");
        var pending = await SubmitAsync("sum");

        var results = await Store.RequeueAsync([dead, pending, "job_unknown", dead], 1, Token);

        Assert.Equal(
            [
                new JobControlResult(dead, JobControlOutcome.Done),
                new JobControlResult(pending, JobControlOutcome.WrongStatus, JobStatuses.Pending),
                new JobControlResult("job_unknown", JobControlOutcome.NotFound),
                new JobControlResult(dead, JobControlOutcome.Done),
            ],
            results);
        Assert.Equal(new StatusCounts(2, 0, 0, 0), (await Store.GetStatsAsync(Token)).Jobs);
        var requeued = (await Store.GetJobAsync(dead, Token))!;
        Assert.Equal((JobStatuses.Pending, 1, 2), (requeued.Status, requeued.Attempt, requeued.MaxAttempts));
        AssertCounted(_requeued!, ("sum", 1));
    }

    [Fact]
    public async Task RequeueDead_OfOneOperation_TakesTheOldestUpToTheLimit()
    {
        var bot = await RegisterAsync("sum", "echo");
        var sums = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sums.Add(await DeadJobAsync(bot, "sum"));
        }

        var echo = await DeadJobAsync(bot, "echo");

        var firstTwo = await Store.RequeueDeadAsync("sum", 2, 1, Token);
        var statuses = new List<string>();
        foreach (var id in sums.Append(echo))
        {
            statuses.Add((await Store.GetJobAsync(id, Token))!.Status);
        }

        var rest = await Store.RequeueDeadAsync(null, 10, 1, Token);
        var none = await Store.RequeueDeadAsync(null, 10, 1, Token);

        Assert.Equal((2, 2, 0), (firstTwo, rest, none));
        Assert.Equal([JobStatuses.Pending, JobStatuses.Pending, JobStatuses.Dead, JobStatuses.Dead], statuses);
        var stats = await Store.GetStatsAsync(Token);
        Assert.Equal((new StatusCounts(3, 0, 0, 0), new StatusCounts(1, 0, 0, 0)), (stats.ByOp["sum"], stats.ByOp["echo"]));
        AssertCounted(_requeued!, ("sum", 2), ("echo", 1), ("sum", 1));
        Assert.Equal(sums.Append(echo).Order(StringComparer.Ordinal), (await ClaimAsync(bot, 10, "sum", "echo")).Select(j => j.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Discard_DeadJob_DeletesItWithItsAttemptsAndFreesItsKey()
    {
        var bot = await RegisterAsync("sum");
        var dead = await DeadJobAsync(bot, "sum", key: "order-7");
        var completed = await SubmitAsync("sum");
        var claimed = Assert.Single(await ClaimAsync(bot, 1, "sum"));
        await ReportOneAsync(bot.BotId, JobReportCommand.Complete(claimed.Id, bot.InstanceId, "1"));

        var results = await Store.DiscardAsync([dead, completed, "job_unknown"], Token);

        Assert.Equal(
            [
                new JobControlResult(dead, JobControlOutcome.Done),
                new JobControlResult(completed, JobControlOutcome.WrongStatus, JobStatuses.Completed),
                new JobControlResult("job_unknown", JobControlOutcome.NotFound),
            ],
            results);
        Assert.Null(await Store.GetJobAsync(dead, Token));
        Assert.Equal(new StatusCounts(0, 0, 1, 0), (await Store.GetStatsAsync(Token)).Jobs);
        var again = await SubmitAsync("sum", key: "order-7");
        Assert.NotEqual(dead, again);
        AssertCounted(_discarded!, ("sum", 1));
        Assert.Equal("1 dead sum job(s) discarded", _eventLog.Collector.LatestRecord.Message);
    }

    [Fact]
    public async Task DiscardDead_All_DeletesEveryDeadJobAndNothingElse()
    {
        var bot = await RegisterAsync("sum", "echo");
        var dead = new[] { await DeadJobAsync(bot, "sum"), await DeadJobAsync(bot, "echo"), await DeadJobAsync(bot, "sum") };
        var pending = await SubmitAsync("echo");

        var firstTwo = await Store.DiscardDeadAsync(null, 2, Token);
        var rest = await Store.DiscardDeadAsync("sum", 10, Token);

        Assert.Equal((2, 1), (firstTwo, rest));
        foreach (var id in dead)
        {
            Assert.Null(await Store.GetJobAsync(id, Token));
        }

        Assert.Equal(JobStatuses.Pending, (await Store.GetJobAsync(pending, Token))!.Status);
        await FoldStatusCountsAsync();
        var stats = await Store.GetStatsAsync(Token);
        Assert.Equal(new StatusCounts(1, 0, 0, 0), stats.Jobs);
        Assert.Equal(new StatusCounts(1, 0, 0, 0), stats.ByOp["echo"]);
        Assert.False(stats.ByOp.ContainsKey("sum"), "an operation whose every job was discarded has no counts left");
        AssertCounted(_discarded!, ("sum", 1), ("echo", 1), ("sum", 1));
    }

    [Fact]
    public async Task ListBots_ByKey_WithTheAssignmentInForceAndTheJobsEachHolds()
    {
        var registration = Registration(["sum", "echo"], botKey: "b-bot");
        var holder = await Store.RegisterBotAsync(registration, Token);
        var idle = await Store.RegisterBotAsync(Registration(["echo"], botKey: "a-bot"), Token);
        await Store.SubmitAsync([NewJob("sum"), NewJob("sum"), NewJob("sum")], Token);
        await Store.ClaimAsync(holder.BotId, ["sum"], 2, null, Token);
        await Store.UpdateAssignmentAsync(idle.BotId, new AssignmentUpdate(null, 2, true), Token);
        Time.Advance(TimeSpan.FromSeconds(5));

        var bots = await Store.ListBotsAsync(Token);

        Assert.Equal(["a-bot", "b-bot"], bots.Select(b => b.BotKey));
        Assert.Equal((idle.BotId, 0, true, 2), (bots[0].BotId, bots[0].LeasedJobs, bots[0].Assignment.Paused, bots[0].Assignment.MaxConcurrency));
        Assert.Equal(["echo"], bots[0].Assignment.Operations);
        Assert.Equal((holder.BotId, 2, false, "1.2.3", StartTime, StartTime), (bots[1].BotId, bots[1].LeasedJobs, bots[1].Assignment.Paused, bots[1].Version, bots[1].RegisteredAt, bots[1].LastSeenAt));
        Assert.Equal(["sum", "echo"], bots[1].Capabilities);
    }

    /// <summary>A job of <paramref name="op"/> that failed each of its attempts ("error 1", "error 2", …) and is dead.</summary>
    private async Task<string> DeadJobAsync(Bot bot, string op, int maxAttempts = 1, string? key = null)
    {
        var id = await SubmitAsync(op, maxAttempts: maxAttempts, key: key);
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var job = (await Store.GetJobAsync(id, Token))!;
            Time.Advance(job.RunAfter > Now ? job.RunAfter - Now : TimeSpan.Zero);
            var claimed = await Store.ClaimAsync(bot.BotId, [op], 1, null, Token);
            Assert.Equal(id, Assert.Single(claimed!).Id);
            Assert.Equal(ReportResult.Accepted, await ReportOneAsync(bot.BotId, JobReportCommand.Fail(id, bot.InstanceId, $"error {attempt}")));
        }

        Assert.Equal(JobStatuses.Dead, (await Store.GetJobAsync(id, Token))!.Status);
        return id;
    }

    /// <summary>The measurements, in any order (one action over several operations records them in no defined order).</summary>
    private static void AssertCounted(MetricCollector<long> collector, params (string Op, long Value)[] expected) =>
        Assert.Equal(expected.Order(), collector.GetMeasurementSnapshot().Select(m => ((string)m.Tags["op"]!, m.Value)).Order());

    private async ValueTask DisposeTelemetryAsync()
    {
        _dead?.Dispose();
        _requeued?.Dispose();
        _discarded?.Dispose();
        _cancelled?.Dispose();
        await _telemetry.DisposeAsync();
    }
}
