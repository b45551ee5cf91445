using System.Text.Json;

namespace BotFleet.JobApi.Contracts;

// POST /v1/jobs/reports: many complete/fail reports in one call ("our additions" in docs/job-api.md).

/// <summary>The actions of a batched report.</summary>
public static class ReportActions
{
    public const string Complete = "complete";
    public const string Fail = "fail";
}

/// <summary>The per-item outcomes of a batched report.</summary>
public static class ReportItemStatuses
{
    /// <summary>The report was taken (or was a harmless repeat).</summary>
    public const string Accepted = "accepted";

    /// <summary>Another instance or a later attempt holds the job: drop the report.</summary>
    public const string Conflict = "conflict";

    /// <summary>The server does not know the job: drop the report.</summary>
    public const string NotFound = "not_found";

    /// <summary>The item itself is malformed (see its error): drop or fix it.</summary>
    public const string Invalid = "invalid";

    /// <summary>The job's attempt belongs to another bot than the caller's token: drop the report.</summary>
    public const string Forbidden = "forbidden";
}

/// <summary>One report of a batch: the fields of complete (result) or fail (error, retry_after_ms) plus job_id and action.</summary>
public sealed record ReportBatchItem(
    string JobId,
    string Action,
    string InstanceId,
    JsonElement? Result = null,
    string? Error = null,
    long? RetryAfterMs = null)
{
    public static ReportBatchItem Complete(string jobId, CompleteRequest report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(jobId, ReportActions.Complete, report.InstanceId, Result: report.Result);
    }

    public static ReportBatchItem Fail(string jobId, FailRequest report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(jobId, ReportActions.Fail, report.InstanceId, Error: report.Error, RetryAfterMs: report.RetryAfterMs);
    }
}

public sealed record ReportBatchRequest(IReadOnlyList<ReportBatchItem> Reports);

/// <param name="JobId">The item's job_id as sent; absent when the item had none.</param>
/// <param name="Status">One of <see cref="ReportItemStatuses"/>.</param>
/// <param name="Error">Why an item is invalid or forbidden.</param>
public sealed record ReportBatchItemResult(string? JobId, string Status, string? Error = null);

/// <param name="Results">One per report, in input order.</param>
public sealed record ReportBatchResponse(IReadOnlyList<ReportBatchItemResult> Results);

/// <summary>PUT /v1/bots/{bot_id}/assignment: null fields stay as they are; at least one must be set.</summary>
public sealed record UpdateAssignmentRequest(IReadOnlyList<string>? Operations = null, int? MaxConcurrency = null, bool? Paused = null);

/// <summary>Header names of job API v1 beyond Authorization.</summary>
public static class JobApiHeaders
{
    /// <summary>Producer and operator calls carry it when the server has JobServer:ApiKey set.</summary>
    public const string ApiKey = "X-Api-Key";

    /// <summary>POST /v1/bots/register carries it when the server has JobServer:EnrollmentKey set.</summary>
    public const string EnrollmentKey = "X-Enrollment-Key";
}
