using System.Net;
using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Outbox;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;
using Orleans.Runtime.Messaging;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>Scheduler behaviour the issue asks for beyond the numbered spec lines.</summary>
public sealed class BotSchedulerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tick_WhileAnotherTickIsRunning_DoesNothing()
    {
        await using var h = new SchedulerHarness();
        await h.TickAndDrainAsync();
        var claimGate = new TaskCompletionSource<ClaimResponse<JsonElement>>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Api.ClaimOverride = _ => claimGate.Task;

        var running = h.Scheduler.TickAsync(Ct);
        await Eventually.TrueAsync(() => h.Api.Claims.Count == 2, "second claim in flight");
        var overlapping = await h.Scheduler.TickAsync(Ct);
        claimGate.SetResult(new ClaimResponse<JsonElement>([]));
        var finished = await running;

        Assert.Equal(TickOutcome.AlreadyRunning, overlapping.Outcome);
        Assert.Equal(TickOutcome.Idle, finished.Outcome);
        Assert.Equal(2, h.Api.Claims.Count);
    }

    [Fact]
    public async Task WorkerCallThatCouldNotBeSent_IsSentAgainAfterAPause_AndTheJobCompletesInItsOneAttempt()
    {
        await using var h = new SchedulerHarness();
        var calls = 0;
        h.Dispatcher.CallFault = _ => Interlocked.Increment(ref calls) <= 2 ? new ConnectionFailedException("Unable to connect to S127.0.0.1:1:1") : null;
        var job = h.Api.Enqueue("echo", new { });

        await h.Scheduler.TickAsync(Ct);
        // The first call fails within the tick, so its pause is already on the clock.
        h.Time.Advance(TimeSpan.FromMilliseconds(249));
        var callsBeforeThePause = Volatile.Read(ref calls);
        await h.Time.StepUntilAsync(() => Volatile.Read(ref calls) == 3);
        await h.DrainAsync();

        Assert.Equal(1, callsBeforeThePause);
        Assert.Equal(3, calls);
        Assert.Equal([new ReportCall(job, "complete", h.Scheduler.InstanceId, "{}", null)], h.Api.Accepted);
        Assert.Equal(
            [
                "Bot bot-key-1: worker call for job " + job + " could not be sent; sending it again in 250 ms: Unable to connect to S127.0.0.1:1:1",
                "Bot bot-key-1: worker call for job " + job + " could not be sent; sending it again in 500 ms: Unable to connect to S127.0.0.1:1:1",
            ],
            h.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SchedulingLogEvents.WorkerCallNotSent).Select(r => r.Message));
        // The warnings are one line each; the exception itself is logged at Debug.
        Assert.All(h.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SchedulingLogEvents.WorkerCallNotSent), r => Assert.Null(r.Exception));
        var details = h.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SchedulingLogEvents.BotFaultDetail).ToList();
        Assert.Equal(["Bot bot-key-1: worker call failed", "Bot bot-key-1: worker call failed"], details.Select(r => r.Message));
        Assert.All(details, r => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, r.Level));
        Assert.All(details, r => Assert.Equal("Unable to connect to S127.0.0.1:1:1", Assert.IsType<ConnectionFailedException>(r.Exception).Message));
    }

    [Fact]
    public async Task WorkerCallThatCouldNeverBeSent_IsReportedFailedAfterFiveResends()
    {
        await using var h = new SchedulerHarness();
        var calls = 0;
        h.Dispatcher.CallFault = _ => { Interlocked.Increment(ref calls); return new ConnectionFailedException("Unable to connect to S127.0.0.1:1:1"); };
        var job = h.Api.Enqueue("echo", new { });

        await h.Scheduler.TickAsync(Ct);
        await h.Time.StepUntilAsync(() => h.Api.Accepted.Count == 1);
        await h.DrainAsync();

        Assert.Equal(6, calls);
        Assert.Equal([new ReportCall(job, "fail", h.Scheduler.InstanceId, null, "worker call failed: Unable to connect to S127.0.0.1:1:1")], h.Api.Accepted);
        Assert.Equal([250, 500, 1_000, 2_000, 4_000], h.Logger.Collector.GetSnapshot().Where(r => r.Id.Id == SchedulingLogEvents.WorkerCallNotSent).Select(r => int.Parse(r.Message.Split(" in ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task WorkerCallFailure_IsReportedFailAndReturnsTheSlotExactlyOnce()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 2, claimBatchSize: 2);
        h.Dispatcher.CallFault = w => w.Op == "sum" ? new TimeoutException("worker grain call timed out") : null;
        var lost = h.Api.Enqueue("sum", new { a = 1, b = 1 });
        var ok = h.Api.Enqueue("echo", new { });

        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();

        Assert.Equal(
            [new ReportCall(ok, "complete", h.Scheduler.InstanceId, "{}", null), new ReportCall(lost, "fail", h.Scheduler.InstanceId, null, "worker call failed: worker grain call timed out")],
            h.Api.Accepted.OrderBy(r => r.Action, StringComparer.Ordinal));
        Assert.Equal(0, h.Scheduler.InFlight);
        Assert.Equal([2, 2], h.Api.Claims.Select(c => c.Limit));
    }

    [Fact]
    public async Task Claim_ServerReturnsMoreJobsThanTheLimit_ExtrasAreHandedBackAndConcurrencyNeverOvershoots()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 2, claimBatchSize: 2);
        h.Probe.HoldJobs = true;
        var jobs = Enumerable.Range(0, 5).Select(i => JsonSerializer.SerializeToElement(new { id = $"job_{i}", op = "probe", payload = new { } })).ToList();
        h.Api.ClaimOverride = _ => Task.FromResult(new ClaimResponse<JsonElement>(jobs));

        var result = await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);
        h.Probe.ReleaseAll();
        await h.DrainAsync();

        Assert.Equal(2, result.JobsStarted);
        Assert.Equal(2, h.Probe.Peak);
        Assert.Equal(["job_0", "job_1"], h.Probe.Started.Order());
        Assert.Equal(
            ["job_2", "job_3", "job_4"],
            h.Api.Accepted.Where(r => r.Action == "fail" && r.Error == "bot at capacity: the claim returned more jobs than its limit").Select(r => r.JobId).Order());
    }

    [Fact]
    public async Task Report_AnsweredWithConflictOrNotFound_IsDroppedAndCountedNotKept()
    {
        await using var h = new SchedulerHarness();
        var stale = h.Api.Enqueue("sum", new { a = 1, b = 1 });
        var gone = h.Api.Enqueue("sum", new { a = 2, b = 2 });
        h.Api.ReportAnswer = r => r.JobId == stale ? ReportDelivery.Conflict : ReportDelivery.NotFound;

        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();

        Assert.Equal(2, h.Scheduler.GetStatus().ReportsDropped);
        Assert.Empty(h.Scheduler.PendingReports);
        Assert.Equal(2, h.Api.Calls.OfType<ReportCall>().Count());
    }

    [Fact]
    public async Task Report_RejectedAsBadRequest_IsDroppedNotRetriedForever()
    {
        await using var h = new SchedulerHarness();
        h.Api.Enqueue("sum", new { a = 1, b = 1 });
        h.Api.ReportFault = _ => new JobApiException("400: result: too large", HttpStatusCode.BadRequest, isTransient: false);

        await h.TickAndDrainAsync();
        await h.TickAndDrainAsync();

        Assert.Single(h.Api.Calls.OfType<ReportCall>());
        Assert.Empty(h.Scheduler.PendingReports);
        Assert.Equal(1, h.Scheduler.GetStatus().ReportsDropped);
    }

    [Fact]
    public async Task Report_WhileTheOutboxIsNotEmpty_QueuesBehindItSoOutboxOrderHolds()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 2, claimBatchSize: 2);
        h.Probe.HoldJobs = true;
        var first = h.Api.Enqueue("boom", new { });
        var second = h.Api.Enqueue("probe", new { });
        h.Api.ReportFault = _ => FakeJobApi.Unreachable();
        await h.Scheduler.TickAsync(Ct);
        await Eventually.TrueAsync(() => h.Scheduler.PendingReports.Count == 1, "first report kept");
        await h.Probe.WaitForStartedAsync(1);

        // The server is back, but the outbox is not empty: the new result joins its end instead of jumping the queue.
        h.Api.ReportFault = _ => null;
        h.Probe.ReleaseAll();
        await h.DrainAsync();
        Assert.Empty(h.Api.Accepted);
        Assert.Equal([first, second], h.Store.Durable.Pending.Select(r => r.JobId));

        await h.TickAndDrainAsync();
        Assert.Equal([first, second], h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task OutboxSaveFailure_BlocksClaimsUntilTheOutboxIsDurableAgain()
    {
        await using var h = new SchedulerHarness();
        var id = h.Api.Enqueue("sum", new { a = 1, b = 1 });
        h.Api.ReportFault = _ => FakeJobApi.Unreachable();
        h.Store.Fail = true;
        await h.TickAndDrainAsync();

        var blocked = await h.TickAndDrainAsync();
        Assert.Equal(TickOutcome.OutboxBlocked, blocked.Outcome);
        Assert.Single(h.Api.Claims);
        Assert.Equal([id], h.Scheduler.PendingReports.Select(r => r.JobId));

        h.Store.Fail = false;
        h.Api.ReportFault = _ => null;
        await h.TickAndDrainAsync();
        Assert.Equal([id], h.Api.Accepted.Select(r => r.JobId));
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task Registration_Fails_TickReportsItAndTheNextTickRegistersAndClaims()
    {
        await using var h = new SchedulerHarness();
        h.Api.RegisterFault = FakeJobApi.ServerError(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(7));

        var failed = await h.TickAndDrainAsync();
        h.Api.RegisterFault = null;
        var ok = await h.TickAndDrainAsync();

        Assert.Equal(new TickResult(TickOutcome.RegistrationFailed, 0, TimeSpan.FromSeconds(7)), failed);
        Assert.Equal(TickOutcome.Idle, ok.Outcome);
        Assert.Equal(["Register", "Register", "Claim"], h.Api.Calls.Select(c => c.GetType().Name.Replace("Call", "", StringComparison.Ordinal)));
        Assert.Equal(BotState.Active, h.Scheduler.GetStatus().State);
    }

    [Fact]
    public async Task Registration_ServerNarrowsTheAssignment_BotKeepsTheLowerLimits()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 8, claimBatchSize: 50);
        h.Api.AssignedMaxConcurrency = 3;
        h.Api.ConfigClaimBatchSize = 2;

        await h.TickAndDrainAsync();

        var register = Assert.IsType<RegisterCall>(h.Api.Calls[0]).Request;
        Assert.Equal("bot-key-1", register.BotKey);
        Assert.Equal(h.Scheduler.InstanceId, register.InstanceId);
        Assert.Equal("1.0.0", register.Version);
        Assert.Equal(h.Operations, register.Capabilities);
        Assert.Equal(8, register.Constraints!.Value.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(2, Assert.Single(h.Api.Claims).Limit);
        Assert.Equal(3, h.Scheduler.GetStatus().MaxConcurrency);
    }

    [Fact]
    public async Task Unauthorized_Claim_DropsTheSessionAndTheNextTickRegistersAgain()
    {
        await using var h = new SchedulerHarness();
        var once = true;
        h.Api.ClaimFault = _ => once && !(once = false) ? new JobApiException("401", HttpStatusCode.Unauthorized, isTransient: false) : null;

        var failed = await h.TickAndDrainAsync();
        var ok = await h.TickAndDrainAsync();

        Assert.Equal(TickOutcome.ClaimFailed, failed.Outcome);
        Assert.Equal(TickOutcome.Idle, ok.Outcome);
        Assert.Equal(2, h.Api.Calls.OfType<RegisterCall>().Count());
    }

    [Fact]
    public async Task Unauthorized_Report_IsKeptInTheOutbox_TheBotRegistersAgain_AndDeliversItBeforeItsNextClaim()
    {
        await using var h = new SchedulerHarness();
        var once = true;
        h.Api.ReportFault = _ => once && !(once = false) ? new JobApiException("401", HttpStatusCode.Unauthorized, isTransient: false) : null;
        var id = h.Api.Enqueue("sum", new { a = 2, b = 3 });

        await h.TickAndDrainAsync();
        var kept = h.Scheduler.PendingReports.ToList();
        h.Api.ClearCalls();
        await h.TickAndDrainAsync();

        Assert.Equal([id], kept.Select(r => r.JobId));
        Assert.Equal(
            [typeof(RegisterCall), typeof(ReportCall), typeof(ClaimCall)],
            h.Api.Calls.Select(c => c.GetType()));
        var delivered = Assert.Single(h.Api.Accepted);
        Assert.Equal((id, "complete", """{"value":5}""", h.Scheduler.InstanceId), (delivered.JobId, delivered.Action, delivered.Result, delivered.InstanceId));
        Assert.Empty(h.Scheduler.PendingReports);
        Assert.Empty(h.Store.Durable.Pending);
        Assert.Equal(0, h.Scheduler.GetStatus().ReportsDropped);
    }

    [Fact]
    public async Task Stop_StopsClaimingButRunningJobsStillFinishAndReport()
    {
        await using var h = new SchedulerHarness();
        h.Probe.HoldJobs = true;
        var id = h.Api.Enqueue("probe", new { });
        h.Api.Enqueue("probe", new { }, "job_left_behind");
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);
        h.Api.Enqueue("sum", new { a = 1, b = 1 });

        h.Scheduler.Stop();
        var stopped = await h.Scheduler.TickAsync(Ct);
        h.Probe.ReleaseAll();
        await h.DrainAsync();

        Assert.Equal(TickOutcome.Stopped, stopped.Outcome);
        Assert.Single(h.Api.Claims);
        Assert.Equal([id, "job_left_behind"], h.Api.Accepted.Select(r => r.JobId).Order());
        Assert.Equal(BotState.Stopped, h.Scheduler.GetStatus().State);
    }

    [Fact]
    public void Constructor_InvalidDefinition_IsRejectedWithEveryProblemNamed()
    {
        var definition = new BotDefinition { Operations = [], MaxConcurrency = 0, ClaimBatchSize = 101 };

        var error = Assert.Throws<ArgumentException>(() => new BotScheduler(
            "bot", definition, new SchedulerSnapshot([], []), new FakeJobApi(), null!, new InMemorySchedulerStateStore(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Contains("operations: at least one operation is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_concurrency: must be between 1 and 1000, got 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("claim_batch_size: must be between 1 and 100, got 101", error.Message, StringComparison.Ordinal);
    }
}
