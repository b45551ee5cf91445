using System.Net;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Scheduling.Tests.Fakes;

namespace BotFleet.Scheduling.Tests.Scheduling;

/// <summary>Running-job records, release after a crash, heartbeats and assignment changes.</summary>
public sealed class BotLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reactivation_JobsRecordedAsRunning_AreReportedWorkerLostBeforeTheFirstClaim()
    {
        var started = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        var running = new[]
        {
            new RunningJobRecord("job_a", "sum", 1, "old-instance", started, started.AddMinutes(5)),
            new RunningJobRecord("job_b", "echo", 3, "old-instance", started, null),
        };
        await using var h = new SchedulerHarness(durable: new SchedulerSnapshot([], [], running));

        await h.TickAndDrainAsync();

        Assert.Equal(
            [
                new ReportCall("job_a", "fail", "old-instance", null, BotScheduler.WorkerLostError),
                new ReportCall("job_b", "fail", "old-instance", null, BotScheduler.WorkerLostError),
            ],
            h.Api.Calls.OfType<ReportCall>());
        Assert.IsType<ClaimCall>(h.Api.Calls[^1]);
        Assert.Equal(2, h.Scheduler.GetStatus().JobsReleased);
        Assert.Empty(h.Store.Durable.Running!);
        Assert.Empty(h.Store.Durable.Pending);
    }

    [Fact]
    public async Task Restart_CountersCarryOverFromTheSavedState_AndKeepCounting()
    {
        SchedulerSnapshot saved;
        await using (var first = new SchedulerHarness())
        {
            first.Api.Enqueue("sum", new { a = 1, b = 1 });
            first.Api.Enqueue("sum", new { a = 2, b = 2 });
            first.Api.Enqueue("boom", new { });
            first.Api.EnqueueRaw(new { op = "sum" });
            first.Api.ReportAnswer = r => r.Action == "fail" ? ReportDelivery.Conflict : ReportDelivery.Accepted;
            await first.TickAndDrainAsync();
            saved = first.Store.Durable;
        }

        Assert.Equal(new BotCounters { JobsCompleted = 2, JobsFailed = 1, ReportsDropped = 1, MalformedJobsSkipped = 1 }, saved.Counters);
        var running = new RunningJobRecord("job_lost", "sum", 1, "old-instance", DateTimeOffset.UnixEpoch, null);
        await using var second = new SchedulerHarness(durable: saved with { Running = [running] });
        var before = second.Scheduler.GetStatus();
        second.Api.Enqueue("sum", new { a = 3, b = 3 });

        await second.TickAndDrainAsync();

        Assert.Equal((2L, 1L, 1L, 1L), (before.JobsCompleted, before.JobsFailed, before.ReportsDropped, before.JobsReleased));
        Assert.Equal(
            new BotCounters { JobsCompleted = 3, JobsFailed = 1, JobsReleased = 1, ReportsDropped = 1, MalformedJobsSkipped = 1 },
            second.Store.Durable.Counters);
    }

    [Fact]
    public async Task Claim_RecordsTheJobsAsRunningDurablyBeforeAnyStarts_AndFinishedOnesLeaveTheRecord()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 3, claimBatchSize: 3);
        h.Probe.HoldJobs = true;
        var ids = Enumerable.Range(0, 2).Select(i => h.Api.Enqueue("probe", new { i })).ToList();

        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);
        var recorded = h.Store.Durable.Running!;

        Assert.Equal(ids.Order(), recorded.Select(r => r.JobId).Order());
        Assert.All(recorded, r => Assert.Equal(("probe", 1, h.Scheduler.InstanceId, h.Time.GetUtcNow()), (r.Op, r.Attempt, r.InstanceId, r.StartedAt)));
        Assert.All(recorded, r => Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), r.LeaseUntil));

        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.DrainAsync();
        var next = h.Api.Enqueue("sum", new { a = 1, b = 1 });
        await h.TickAndDrainAsync();

        Assert.Empty(h.Scheduler.RunningJobs);
        Assert.DoesNotContain(h.Store.Durable.Running!, r => ids.Contains(r.JobId));
        Assert.Contains(h.Api.Accepted, r => r.JobId == next);
    }

    [Fact]
    public async Task Heartbeat_ListsTheRunningJobsWithElapsedTimeAndTakesTheExtendedLeases()
    {
        await using var h = new SchedulerHarness();
        h.Probe.HoldJobs = true;
        var ids = Enumerable.Range(0, 2).Select(i => h.Api.Enqueue("probe", new { i })).ToList();
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);
        var extended = new DateTimeOffset(2026, 11, 27, 9, 10, 0, TimeSpan.Zero);
        h.Api.HeartbeatAnswer = request => new HeartbeatResponse(extended, Leases: [.. request.Running.Select(r => new JobLease(r.JobId, extended))]);
        h.Time.Advance(TimeSpan.FromMilliseconds(1_500));

        var outcome = await h.Scheduler.HeartbeatAsync(Ct);

        Assert.Equal(HeartbeatOutcome.Delivered, outcome);
        var call = Assert.Single(h.Api.Calls.OfType<HeartbeatCall>());
        Assert.Equal("bot_test", call.BotId);
        Assert.Equal(h.Scheduler.InstanceId, call.Request.InstanceId);
        Assert.Equal(
            ids.Order().Select(id => (id, "probe", 1_500L)),
            call.Request.Running.OrderBy(r => r.JobId).Select(r => (r.JobId, r.Op, r.ElapsedMs)));
        Assert.All(h.Scheduler.RunningJobs, r => Assert.Equal(extended, r.LeaseUntil));
        Assert.Equal(h.Time.GetUtcNow(), h.Scheduler.GetStatus().LastHeartbeatAt);
    }

    [Fact]
    public async Task AssignmentChange_LoweringNeverOvershoots_RaisingFillsTheNewSlots()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 6, claimBatchSize: 10);
        h.Api.AssignedMaxConcurrency = 4;
        h.Probe.HoldJobs = true;
        for (var i = 0; i < 20; i++)
        {
            h.Api.Enqueue("probe", new { i });
        }

        var capacitySignals = 0;
        h.Scheduler.CapacityAvailable += () => Interlocked.Increment(ref capacitySignals);
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(4);

        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(h.Operations, 2, Paused: false));
        Assert.Equal(HeartbeatOutcome.AssignmentChanged, await h.Scheduler.HeartbeatAsync(Ct));
        var lowered = await h.Scheduler.TickAsync(Ct);
        Assert.Equal((TickOutcome.Busy, 4, 2), (lowered.Outcome, h.Scheduler.InFlight, h.Scheduler.GetStatus().MaxConcurrency));

        h.Probe.ReleaseAll();
        await h.DrainAsync();
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(6);
        Assert.Equal(2, h.Probe.Running);

        // The server may raise the limit up to the bot's own maximum (6), never beyond.
        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(h.Operations, 50, Paused: false));
        var signalsBefore = capacitySignals;
        await h.Scheduler.HeartbeatAsync(Ct);
        var raised = await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(10);

        Assert.Equal(signalsBefore + 1, capacitySignals);
        Assert.Equal(4, raised.JobsStarted);
        Assert.Equal(6, h.Probe.Running);
        Assert.Equal([4, 2, 4], h.Api.Claims.Select(c => c.Limit));
        Assert.Equal(6, h.Probe.Peak);
        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.RunUntilQueueEmptyAsync();
        Assert.Equal(20, h.Api.Accepted.Count);
        Assert.Equal(6, h.Probe.Peak);
    }

    [Fact]
    public async Task AssignmentChangesOperations_NextClaimAsksOnlyForTheNewSet_RunningJobsOfTheRemovedOneFinishAndFreeTheirSlots()
    {
        await using var h = new SchedulerHarness(maxConcurrency: 4, claimBatchSize: 10, operations: ["probe", "sum"]);
        h.Probe.HoldJobs = true;
        var held = Enumerable.Range(0, 3).Select(i => h.Api.Enqueue("probe", new { i })).ToList();
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(3);

        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(["sum"], 4, Paused: false));
        Assert.Equal(HeartbeatOutcome.AssignmentChanged, await h.Scheduler.HeartbeatAsync(Ct));
        var laterProbe = h.Api.Enqueue("probe", new { late = true });
        var sum = h.Api.Enqueue("sum", new { a = 1, b = 1 });
        var whileHeld = await h.Scheduler.TickAsync(Ct);
        h.Probe.HoldJobs = false;
        h.Probe.ReleaseAll();
        await h.DrainAsync();

        Assert.Equal([["probe", "sum"], ["sum"]], h.Api.Claims.Select(c => c.Operations.ToArray()));
        Assert.Equal(1, h.Api.Claims[1].Limit);
        Assert.Equal(1, whileHeld.JobsStarted);
        Assert.Equal(held.Append(sum).Order(StringComparer.Ordinal), h.Api.Accepted.Select(r => r.JobId).Order(StringComparer.Ordinal));
        Assert.Equal(held.Order(StringComparer.Ordinal), h.Probe.Started.Order(StringComparer.Ordinal));
        // The probe job that came after the change is left for a bot that still offers probe.
        Assert.DoesNotContain(laterProbe, h.Api.Accepted.Select(r => r.JobId));
        Assert.Equal(1, h.Api.QueuedJobs);
        Assert.Equal((0, 4), (h.Scheduler.InFlight, h.Scheduler.FreeSlots));
        Assert.Equal(["sum"], h.Scheduler.Session!.Operations);
    }

    [Fact]
    public async Task AssignmentPaused_StopsClaimingWhileRunningJobsFinishAndReport_AndResumes()
    {
        await using var h = new SchedulerHarness();
        h.Probe.HoldJobs = true;
        var running = Enumerable.Range(0, 2).Select(i => h.Api.Enqueue("probe", new { i })).ToList();
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(2);
        var waiting = h.Api.Enqueue("sum", new { a = 2, b = 2 });

        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(h.Operations, 4, Paused: true));
        await h.Scheduler.HeartbeatAsync(Ct);
        var paused = await h.Scheduler.TickAsync(Ct);
        h.Probe.ReleaseAll();
        await h.DrainAsync();

        Assert.Equal(TickOutcome.Stopped, paused.Outcome);
        Assert.Equal(BotState.Paused, h.Scheduler.GetStatus().State);
        Assert.Single(h.Api.Claims);
        Assert.Equal(running.Order(), h.Api.Accepted.Select(r => r.JobId).Order());

        h.Api.HeartbeatAnswer = _ => new HeartbeatResponse(DateTimeOffset.UnixEpoch, new BotAssignment(h.Operations, 4, Paused: false));
        await h.Scheduler.HeartbeatAsync(Ct);
        await h.TickAndDrainAsync();
        Assert.Contains(h.Api.Accepted, r => r.JobId == waiting);
        Assert.Equal(BotState.Active, h.Scheduler.GetStatus().State);
    }

    [Fact]
    public async Task Heartbeat_Unauthorized_TheNextTickRegistersAgainAndCarriesOn()
    {
        await using var h = new SchedulerHarness();
        await h.TickAndDrainAsync();
        h.Api.HeartbeatFault = new JobApiException("token expired", HttpStatusCode.Unauthorized, isTransient: false);

        var outcome = await h.Scheduler.HeartbeatAsync(Ct);
        h.Api.HeartbeatFault = null;
        var id = h.Api.Enqueue("sum", new { a = 1, b = 2 });
        await h.TickAndDrainAsync();

        Assert.Equal(HeartbeatOutcome.Failed, outcome);
        Assert.Equal(2, h.Api.Calls.OfType<RegisterCall>().Count());
        Assert.Equal([id], h.Api.Accepted.Select(r => r.JobId));
    }

    [Fact]
    public async Task Stop_WithJobsRunning_IsDrainingUntilTheyReport()
    {
        await using var h = new SchedulerHarness();
        h.Probe.HoldJobs = true;
        h.Api.Enqueue("probe", new { });
        await h.Scheduler.TickAsync(Ct);
        await h.Probe.WaitForStartedAsync(1);

        h.Scheduler.Stop();
        var draining = h.Scheduler.GetStatus().State;
        h.Probe.ReleaseAll();
        await h.DrainAsync();

        Assert.Equal(BotState.Draining, draining);
        Assert.Equal(BotState.Stopped, h.Scheduler.GetStatus().State);
        Assert.Single(h.Api.Accepted);
    }
}
