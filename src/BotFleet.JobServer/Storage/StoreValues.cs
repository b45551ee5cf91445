using System.Data.Common;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Storage;

/// <summary>Conversions both job stores share: rows to records, unix milliseconds, status counts.</summary>
internal static class StoreValues
{
    /// <summary>Longest error text kept for a job or an attempt.</summary>
    public const int MaxErrorLength = 4_000;

    public static StoredJob ToStoredJob(JobRow row, Dictionary<string, List<StoredJobAttempt>> attempts) =>
        new(
            row.Id,
            row.Op,
            row.Payload,
            row.Status,
            row.Priority,
            row.Attempt,
            row.MaxAttempts,
            row.Result,
            row.Error,
            FromUnixMs(row.RunAfter),
            row.LeaseUntil is { } lease ? FromUnixMs(lease) : null,
            FromUnixMs(row.CreatedAt),
            FromUnixMs(row.UpdatedAt),
            WithAttemptOnRow(row, attempts.TryGetValue(row.Id, out var list) ? list : []),
            row.CancelRequestedAt is { } cancel ? FromUnixMs(cancel) : null,
            // Progress belongs to the attempt that reported it: a retry starts without.
            row.ProgressPercent is { } percent && row.ProgressAttempt == row.Attempt ? new StoredProgress(percent, row.ProgressMessage) : null);

    /// <summary>
    /// The attempt history of a job. job_attempts holds attempts that failed or were lost (written once, when the
    /// attempt ends); the jobs row's lease columns hold the running attempt of a leased job and the final attempt of a
    /// job completed since they were kept (<see cref="ReportedJob.KeepsAttemptOnRow"/>). Jobs completed before that
    /// have their final attempt in job_attempts and no lease columns.
    /// </summary>
    private static List<StoredJobAttempt> WithAttemptOnRow(JobRow row, List<StoredJobAttempt> recorded)
    {
        if (row.LeaseStartedAt is not { } started || row.LeaseBotId is null || row.LeaseInstanceId is null)
        {
            return recorded;
        }

        return row.Status switch
        {
            JobStatuses.Leased => [.. recorded, new StoredJobAttempt(row.Attempt, row.LeaseBotId, row.LeaseInstanceId, FromUnixMs(started), null, null, null)],
            JobStatuses.Completed => [.. recorded, new StoredJobAttempt(row.Attempt, row.LeaseBotId, row.LeaseInstanceId, FromUnixMs(started), FromUnixMs(row.UpdatedAt), AttemptOutcomes.Completed, null)],
            _ => recorded,
        };
    }

    /// <summary>How many statuses a job can be in: the length of the count arrays <see cref="StatusIndex"/> indexes.</summary>
    public static int StatusCount => JobStatuses.All.Count;

    /// <summary>The status's place in <see cref="JobStatuses.All"/>, which <see cref="ToCounts"/> reads the counts in.</summary>
    public static int StatusIndex(string status) => status switch
    {
        JobStatuses.Pending => 0,
        JobStatuses.Leased => 1,
        JobStatuses.Completed => 2,
        JobStatuses.Dead => 3,
        JobStatuses.Cancelled => 4,
        _ => throw new ArgumentException($"Unknown job status '{status}'.", nameof(status)),
    };

    /// <summary>
    /// A status for inlining as a SQL literal, so a listing can use the partial index of that status (a parameter
    /// would hide which one applies); anything but <see cref="JobStatuses.All"/> is refused.
    /// </summary>
    public static string StatusLiteral(string status) =>
        JobStatuses.All.Contains(status) ? $"'{status}'" : throw new ArgumentException($"Unknown job status '{status}'.", nameof(status));

    /// <summary>Refuses a status whose jobs the retention policy may not delete (only finished jobs are pruned).</summary>
    public static void RequirePrunable(string status)
    {
        if (status is not (JobStatuses.Completed or JobStatuses.Dead or JobStatuses.Cancelled))
        {
            throw new ArgumentException($"Only completed, dead and cancelled jobs are pruned, not {status}.", nameof(status));
        }
    }

    public static StatusCounts ToCounts(long[] counts) => new(counts[0], counts[1], counts[2], counts[3], counts[4]);

    public static DateTimeOffset FromUnixMs(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    /// <param name="byOp">Counts per operation, indexed by <see cref="StatusIndex"/>.</param>
    public static JobStoreStats ToStats(IReadOnlyDictionary<string, long[]> byOp, long registered, long active)
    {
        var total = new long[StatusCount];
        foreach (var counts in byOp.Values)
        {
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += counts[i];
            }
        }

        return new JobStoreStats(
            ToCounts(total),
            byOp.ToDictionary(kv => kv.Key, kv => ToCounts(kv.Value), StringComparer.Ordinal),
            registered,
            active);
    }

    /// <summary>
    /// Adds one row of "SELECT job_id, attempt, bot_id, instance_id, started, ended, outcome, error
    /// FROM job_attempts" to the attempts of its job.
    /// </summary>
    public static void AddAttempt(Dictionary<string, List<StoredJobAttempt>> attempts, DbDataReader reader)
    {
        var jobId = reader.GetString(0);
        if (!attempts.TryGetValue(jobId, out var list))
        {
            attempts[jobId] = list = [];
        }

        list.Add(new StoredJobAttempt(
            reader.GetInt32(1),
            reader.GetString(2),
            reader.GetString(3),
            FromUnixMs(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : FromUnixMs(reader.GetInt64(5)),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7)));
    }
}
