using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Auth;

/// <summary>
/// Whether a bot may report (complete/fail) on a job. The store matches a report to the attempt of its
/// instance_id, so the question is whose attempt that is:
/// <list type="bullet">
/// <item>the attempt of the report's instance belongs to another bot → forbidden (403);</item>
/// <item>no attempt of that instance, and the caller never held the job → forbidden (403);</item>
/// <item>otherwise the store decides — a bot whose lease went to another bot or a later attempt gets
/// 409 as job-api-v1.md requires ("the sender must drop it"), not 403.</item>
/// </list>
/// A job never claimed has no holder to compare with; the store answers 409.
/// </summary>
internal static class ReportAccess
{
    public static bool IsForbidden(StoredJob job, string callerBotId, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Attempts.Count == 0)
        {
            return false;
        }

        var reported = job.Attempts.LastOrDefault(a => string.Equals(a.InstanceId, instanceId, StringComparison.Ordinal));
        return reported is not null
            ? !string.Equals(reported.BotId, callerBotId, StringComparison.Ordinal)
            : !job.Attempts.Any(a => string.Equals(a.BotId, callerBotId, StringComparison.Ordinal));
    }
}
