namespace BotFleet.Contracts.Jobs;

/// <summary>
/// Runs one job through the job registry. Always answers with an outcome: handler errors,
/// timeouts and unknown operations become failures, never exceptions.
/// </summary>
[Alias("BotFleet.IJobWorkerGrain")]
public interface IJobWorkerGrain : IGrainWithIntegerKey
{
    // A job may legitimately run for minutes; the job's own timeout bounds it, not Orleans' 30 s default.
    [Alias("Run"), ResponseTimeout("01:00:00")]
    Task<JobOutcome> RunAsync(JobWork work);
}
