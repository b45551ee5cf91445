namespace BotFleet.JobServer.Storage;

/// <summary>One complete or fail report, as a store takes it (alone or in a batch).</summary>
/// <param name="Failed">True for a fail report, false for a completion.</param>
/// <param name="ResultJson">Compact JSON of the result of a completion, or null when the bot sent none.</param>
/// <param name="Error">The error of a fail report.</param>
/// <param name="RetryAfter">The bot's wish for the retry delay of a fail report; null lets the server back off.</param>
public sealed record JobReportCommand(string JobId, string InstanceId, bool Failed, string? ResultJson, string? Error, TimeSpan? RetryAfter)
{
    public static JobReportCommand Complete(string jobId, string instanceId, string? resultJson) =>
        new(jobId, instanceId, false, resultJson, null, null);

    public static JobReportCommand Fail(string jobId, string instanceId, string error, TimeSpan? retryAfter = null) =>
        new(jobId, instanceId, true, null, error, retryAfter);
}
