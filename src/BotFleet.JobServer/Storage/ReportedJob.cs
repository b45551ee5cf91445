using System.Data.Common;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// A reported job as a store read it (locked) at the start of a report batch: the job row's fields that reports
/// look at or change, and its latest attempt. <see cref="ReportBatch"/> changes it in memory item by item, so a
/// later item of the same batch sees what an earlier one did; the store then writes the changed ones back.
/// </summary>
internal sealed class ReportedJob(string id, string op, string status, int attempt, int maxAttempts, string? result)
{
    /// <summary>
    /// The reported jobs with their latest attempts, in the columns <see cref="Read"/> takes; each dialect adds its
    /// WHERE on j.id.
    /// </summary>
    public const string SelectSql = """
        SELECT j.id, j.op, j.status, j.attempt, j.max_attempts, j.result,
               COALESCE(a.bot_id, j.lease_bot_id), COALESCE(a.instance_id, j.lease_instance_id), a.outcome, a.error,
               j.lease_started_at, a.job_id IS NOT NULL, j.cancel_requested_at IS NOT NULL
        FROM jobs j LEFT JOIN job_attempts a ON a.job_id = j.id AND a.attempt = j.attempt
        """;

    public string Id { get; } = id;

    public string Op { get; } = op;

    public string Status { get; set; } = status;

    /// <summary>The status as read, before the batch changed it.</summary>
    public string StoredStatus { get; } = status;

    public int Attempt { get; } = attempt;

    public int MaxAttempts { get; } = maxAttempts;

    public string? Result { get; set; } = result;

    public string? Error { get; set; }

    /// <summary>When the job may run again; meaningful once a failure sent it back to pending.</summary>
    public long RunAfter { get; set; }

    /// <summary>When the latest attempt started: while the job is leased, its lease's start (unix ms).</summary>
    public long? AttemptStartedAt { get; init; }

    /// <summary>Bot and instance of the latest attempt; null when the job was never claimed.</summary>
    public string? AttemptBotId { get; init; }

    public string? AttemptInstanceId { get; init; }

    public string? AttemptOutcome { get; set; }

    public string? AttemptError { get; set; }

    /// <summary>True when an operator asked to cancel the job while it ran: a failure then ends it cancelled.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>True when the latest attempt has a job_attempts row already (the sweep recorded it "lost").</summary>
    public bool AttemptRecorded { get; init; }

    /// <summary>
    /// True when the write keeps the latest attempt on the jobs row instead of adding a job_attempts row: a
    /// completion ends the job's history, so its lease columns can stay as the record of that final attempt (one row
    /// written per completed job, not two; see <see cref="StoreValues.ToStoredJob"/>). An attempt the sweep recorded
    /// keeps its row, which the report then updates.
    /// </summary>
    public bool KeepsAttemptOnRow => Status == JobStatuses.Completed && !AttemptRecorded;

    /// <summary>
    /// The latest attempt's outcome as a store reads it: its job_attempts row's when it has one; else "completed" for a
    /// completion kept on the jobs row (<see cref="KeepsAttemptOnRow"/>), or none while the attempt runs.
    /// </summary>
    public static string? StoredOutcome(string status, bool attemptRecorded, string? recordedOutcome, string? attemptBotId) =>
        attemptRecorded ? recordedOutcome
        : status == JobStatuses.Completed && attemptBotId is not null ? AttemptOutcomes.Completed
        : null;

    /// <summary>True once a report of the batch changed the job; only those are written back.</summary>
    public bool Changed { get; set; }

    /// <summary>One row of <see cref="SelectSql"/>.</summary>
    public static ReportedJob Read(DbDataReader reader)
    {
        var status = reader.GetString(2);
        var attemptBotId = reader.IsDBNull(6) ? null : reader.GetString(6);
        var attemptRecorded = reader.GetBoolean(11);
        return new ReportedJob(
            reader.GetString(0),
            reader.GetString(1),
            status,
            reader.GetInt32(3),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5))
        {
            AttemptBotId = attemptBotId,
            AttemptInstanceId = reader.IsDBNull(7) ? null : reader.GetString(7),
            AttemptOutcome = StoredOutcome(status, attemptRecorded, reader.IsDBNull(8) ? null : reader.GetString(8), attemptBotId),
            AttemptError = reader.IsDBNull(9) ? null : reader.GetString(9),
            AttemptStartedAt = reader.IsDBNull(10) ? null : reader.GetInt64(10),
            AttemptRecorded = attemptRecorded,
            CancelRequested = reader.GetBoolean(12),
        };
    }
}
