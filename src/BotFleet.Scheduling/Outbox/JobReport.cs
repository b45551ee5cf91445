namespace BotFleet.Scheduling.Outbox;

/// <summary>
/// One complete/fail report exactly as it is sent: kept in the outbox (durable grain state)
/// when it cannot be delivered. The instance id is the one that ran the job, so a report
/// delivered after a restart still names the attempt it belongs to.
/// </summary>
[GenerateSerializer, Immutable, Alias("BotFleet.JobReport")]
public sealed record JobReport
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required ReportKind Kind { get; init; }
    [Id(2)] public required string InstanceId { get; init; }

    /// <summary>The result as JSON text (complete reports).</summary>
    [Id(3)] public string? ResultJson { get; init; }

    /// <summary>The error message (fail reports).</summary>
    [Id(4)] public string? Error { get; init; }

    public static JobReport Complete(string jobId, string instanceId, string resultJson) =>
        new() { JobId = jobId, Kind = ReportKind.Complete, InstanceId = instanceId, ResultJson = resultJson };

    public static JobReport Fail(string jobId, string instanceId, string error) =>
        new() { JobId = jobId, Kind = ReportKind.Fail, InstanceId = instanceId, Error = error };
}
