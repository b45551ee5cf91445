using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.Apis;

/// <summary>
/// POST /v1/jobs/{job_id}/cancel over HTTP, and the progress a bot reports with its heartbeats. Each test uses
/// operations of its own, so the stats it reads are its own.
/// </summary>
public sealed class CancelTests(JobServerFixture server) : IClassFixture<JobServerFixture>
{
    [Fact]
    public async Task PendingJob_EndsCancelledAtOnce_IsNeverClaimed_AndCancellingAgainChangesNothing()
    {
        var (op, bot, _) = await server.Client.BotOfOwnOpAsync("cancel-pending");
        var id = await server.Client.SubmitOneAsync(op);

        var view = await server.Client.CancelJobAsync(id, TestJobs.Token);

        Assert.Equal((JobStatuses.Cancelled, "cancelled by an operator", 0, (DateTimeOffset?)null), (view!.Status, view.Error, view.Attempt, view.CancelRequestedAt));
        Assert.Empty(await server.Client.ClaimJobsAsync(bot, 10, op));
        Assert.Equal(new JobStatusCounts(0, 0, 0, 0, Cancelled: 1), (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op]);
        Assert.Equal([id], (await server.Client.ListJobsAsync(new JobListQuery(JobStatuses.Cancelled, op), TestJobs.Token)).Jobs.Select(j => j.Id));
        var again = await server.Client.CancelJobAsync(id, TestJobs.Token);
        Assert.Equal((JobStatuses.Cancelled, view.UpdatedAt), (again!.Status, again.UpdatedAt));
    }

    [Fact]
    public async Task CancelMany_ByIds_AnswersEachJob_AndAllOfAnOperation_CancelsItsPendingAndAsksItsBots()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("cancel-many");
        var leased = await server.Client.SubmitOneAsync(op);
        await server.Client.ClaimJobsAsync(bot, 1, op);
        var pending = await server.Client.SubmitBatchAsync([.. Enumerable.Range(0, 3).Select(i => new SubmitJobRequest(op, TestJobs.Payload(i)))], TestJobs.Token);
        var untouched = TestJobs.NewOp("cancel-many-other");
        var kept = await server.Client.SubmitOneAsync(untouched);

        var named = await server.Client.CancelJobsAsync(new JobSelectionRequest([pending[0], leased, "job_none"]), TestJobs.Token);
        var all = await server.Client.CancelJobsAsync(new JobSelectionRequest(All: true, Op: op), TestJobs.Token);

        Assert.Equal(2, named.Count);
        Assert.Equal(
            [new JobControlItemResult(pending[0], JobControlStatuses.Cancelled), new JobControlItemResult(leased, JobControlStatuses.CancelRequested), new JobControlItemResult("job_none", JobControlStatuses.NotFound)],
            named.Results!);
        // The rest: two pending jobs cancelled, and the leased one's bot asked again (a no-op for the job).
        Assert.Equal((3L, (IReadOnlyList<JobControlItemResult>?)null), (all.Count, all.Results));
        Assert.Equal(new JobStatusCounts(0, 1, 0, 0, Cancelled: 3), (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op]);
        Assert.Equal(JobStatuses.Pending, (await server.Client.GetJobAsync(kept, TestJobs.Token))!.Status);
        Assert.Equal([leased], (await HeartbeatAsync(bot, instance, new RunningJob(leased, op, 10, null))).Cancel);
    }

    [Fact]
    public async Task CancelMany_WithoutIdsOrAll_Is400SayingWhatAllTakes()
    {
        var refused = await Assert.ThrowsAsync<JobApiException>(() => server.Client.CancelJobsAsync(new JobSelectionRequest(), TestJobs.Token));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"all\": true for every pending or leased job", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeasedJob_TheBotHearsItWithItsHeartbeat_AndItsFailureEndsTheJobCancelledNeverRetried()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("cancel-leased");
        var id = await server.Client.SubmitOneAsync(op, maxAttempts: 5);
        Assert.Equal(id, Assert.Single(await server.Client.ClaimJobsAsync(bot, 10, op)).Id);
        var before = await HeartbeatAsync(bot, instance, new RunningJob(id, op, 10, null));
        Assert.Null(before.Cancel);
        server.Time.Advance(TimeSpan.FromSeconds(2));

        var requested = await server.Client.CancelJobAsync(id, TestJobs.Token);

        Assert.Equal((JobStatuses.Leased, (DateTimeOffset?)server.Time.GetUtcNow()), (requested!.Status, requested.CancelRequestedAt));
        var answer = await HeartbeatAsync(bot, instance, new RunningJob(id, op, 2_010, null));
        Assert.Equal([id], answer.Cancel);
        Assert.Equal([id], answer.Leases!.Select(l => l.JobId));
        Assert.Equal(ReportDelivery.Accepted, await server.Client.FailAsync(bot, id, instance, "cancelled: stopped"));
        var job = (await server.Client.GetJobAsync(id, TestJobs.Token))!;
        Assert.Equal((JobStatuses.Cancelled, "cancelled: stopped", 1), (job.Status, job.Error, job.Attempt));
        Assert.Equal([(AttemptOutcomes.Cancelled, "cancelled: stopped")], job.Attempts.Select(a => (a.Outcome, a.Error)));
        Assert.Empty(await server.Client.ClaimJobsAsync(bot, 10, op));
        Assert.Equal(new JobStatusCounts(0, 0, 0, 0, Cancelled: 1), (await server.Client.GetStatsAsync(TestJobs.Token)).ByOp[op]);
        // The same report again is a harmless repeat (taken, nothing changes).
        Assert.Equal(ReportDelivery.Accepted, await server.Client.FailAsync(bot, id, instance, "cancelled: stopped"));
        var after = (await server.Client.GetJobAsync(id, TestJobs.Token))!;
        Assert.Equal((JobStatuses.Cancelled, job.UpdatedAt, 1), (after.Status, after.UpdatedAt, after.Attempts.Count));
    }

    [Fact]
    public async Task LeasedJob_CompletedBeforeTheBotHeardOfTheCancel_StaysCompleted()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("cancel-raced");
        var id = await server.Client.SubmitOneAsync(op);
        await server.Client.ClaimJobsAsync(bot, 10, op);
        await server.Client.CancelJobAsync(id, TestJobs.Token);

        Assert.Equal(ReportDelivery.Accepted, await server.Client.CompleteAsync(bot, id, instance, sum: 3));

        Assert.Equal(JobStatuses.Completed, (await server.Client.GetJobAsync(id, TestJobs.Token))!.Status);
    }

    [Fact]
    public async Task LeasedJob_WhoseLeaseRunsOutAfterACancel_EndsCancelledNotPending()
    {
        var (op, bot, _) = await server.Client.BotOfOwnOpAsync("cancel-expired");
        var id = await server.Client.SubmitOneAsync(op, maxAttempts: 5);
        await server.Client.ClaimJobsAsync(bot, 10, op);
        await server.Client.CancelJobAsync(id, TestJobs.Token);

        server.Time.Advance(server.Options.JobLeaseTtl + TimeSpan.FromSeconds(1));
        await server.Store.SweepExpiredLeasesAsync(TestJobs.Token);

        var job = (await server.Client.GetJobAsync(id, TestJobs.Token))!;
        Assert.Equal((JobStatuses.Cancelled, AttemptOutcomes.Lost), (job.Status, Assert.Single(job.Attempts).Outcome));
        Assert.Empty(await server.Client.ClaimJobsAsync(bot, 10, op));
    }

    [Fact]
    public async Task FinishedOrUnknownJob_IsRefused()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("cancel-refused");
        var completed = await server.Client.SubmitOneAsync(op);
        await server.Client.ClaimJobsAsync(bot, 10, op);
        await server.Client.CompleteAsync(bot, completed, instance);
        var dead = await server.Client.DeadJobAsync(op, bot, instance);

        using var onCompleted = await server.Http.PostAsync($"v1/jobs/{completed}/cancel", content: null, TestJobs.Token);
        using var onDead = await server.Http.PostAsync($"v1/jobs/{dead}/cancel", content: null, TestJobs.Token);
        using var onUnknown = await server.Http.PostAsync("v1/jobs/job_none/cancel", content: null, TestJobs.Token);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.NotFound), (onCompleted.StatusCode, onDead.StatusCode, onUnknown.StatusCode));
        Assert.Contains($"Job '{dead}' is dead; only pending and leased jobs can be cancelled.", await onDead.Content.ReadAsStringAsync(TestJobs.Token), StringComparison.Ordinal);
        Assert.Equal((JobStatuses.Completed, JobStatuses.Dead), ((await server.Client.GetJobAsync(completed, TestJobs.Token))!.Status, (await server.Client.GetJobAsync(dead, TestJobs.Token))!.Status));
    }

    [Fact]
    public async Task Progress_SentWithAHeartbeat_IsShownOnTheJobForItsAttemptOnly()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("progress");
        var id = await server.Client.SubmitOneAsync(op, maxAttempts: 2);
        await server.Client.ClaimJobsAsync(bot, 10, op);

        await HeartbeatAsync(bot, instance, new RunningJob(id, op, 10, null, new JobProgress(40, "resized 4 of 10")));
        Assert.Equal(new JobProgress(40, "resized 4 of 10"), (await server.Client.GetJobAsync(id, TestJobs.Token))!.Progress);
        // A heartbeat without progress keeps the last one.
        await HeartbeatAsync(bot, instance, new RunningJob(id, op, 20, null));
        Assert.Equal(new JobProgress(40, "resized 4 of 10"), (await server.Client.GetJobAsync(id, TestJobs.Token))!.Progress);

        await server.Client.FailAsync(bot, id, instance);
        server.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(id, Assert.Single(await server.Client.ClaimJobsAsync(bot, 10, op)).Id);
        Assert.Null((await server.Client.GetJobAsync(id, TestJobs.Token))!.Progress);
    }

    [Fact]
    public async Task Progress_OutOfRange_IsA400NamingTheField()
    {
        var (op, bot, instance) = await server.Client.BotOfOwnOpAsync("progress-bad");
        var id = await server.Client.SubmitOneAsync(op);
        await server.Client.ClaimJobsAsync(bot, 10, op);

        var refused = await Assert.ThrowsAsync<JobApiException>(() =>
            HeartbeatAsync(bot, instance, new RunningJob(id, op, 10, null, new JobProgress(101))));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("running[0].progress.percent", refused.Message, StringComparison.Ordinal);
        Assert.Null((await server.Client.GetJobAsync(id, TestJobs.Token))!.Progress);
    }

    private Task<HeartbeatResponse> HeartbeatAsync(RegisterBotResponse bot, string instance, params RunningJob[] running) =>
        server.Client.HeartbeatAsync(bot.BotId, new HeartbeatRequest(instance, running), bot.Auth.AccessToken, TestJobs.Token);
}
