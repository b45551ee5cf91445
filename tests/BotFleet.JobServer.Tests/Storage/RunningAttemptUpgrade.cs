using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>
/// What both stores must show after upgrading a database whose running attempt was written at claim ("job_1",
/// attempt 1 of <c>botId</c>/"instance-1", started at unix ms 1234): the attempt shows as running, from its lease, and
/// the report writes it once, finished at <paramref name="now"/>.
/// </summary>
internal static class RunningAttemptUpgrade
{
    public const string JobId = "job_1";

    public const string InstanceId = "instance-1";

    public const long StartedMs = 1234;

    public static async Task AssertMovedToTheLeaseAsync(IJobStore upgraded, string botId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await upgraded.InitializeAsync(cancellationToken);
        var running = (await upgraded.GetJobAsync(JobId, cancellationToken))!.Attempts;
        var report = Assert.Single(await upgraded.ReportAsync([JobReportCommand.Complete(JobId, InstanceId, "{}")], botId, cancellationToken));
        var finished = (await upgraded.GetJobAsync(JobId, cancellationToken))!.Attempts;

        var started = DateTimeOffset.FromUnixTimeMilliseconds(StartedMs);
        Assert.Equal([new StoredJobAttempt(1, botId, InstanceId, started, null, null, null)], running);
        Assert.Equal(ReportResult.Accepted, report);
        Assert.Equal([new StoredJobAttempt(1, botId, InstanceId, started, now, AttemptOutcomes.Completed, null)], finished);
    }
}
