using System.Data.Common;

namespace BotFleet.JobServer.Storage;

/// <summary>A job a claim leased (or a repeated claim finds still leased), as both stores read it.</summary>
internal readonly record struct LeasedJobRow(string Id, string Op, string Payload, JobPriority Priority, int Attempt, long CreatedAt, long LeaseUntil, string? TraceParent)
{
    /// <summary>
    /// Reads id, op, payload, priority, attempt, created_at and trace_parent, in that order from <paramref name="first"/>
    /// on (both stores' claim and replay statements list them so); the lease end is the claim's own or the row's.
    /// </summary>
    public static LeasedJobRow Read(DbDataReader reader, int first, long leaseUntil) =>
        new(
            reader.GetString(first),
            reader.GetString(first + 1),
            reader.GetString(first + 2),
            (JobPriority)reader.GetInt32(first + 3),
            reader.GetInt32(first + 4),
            reader.GetInt64(first + 5),
            leaseUntil,
            reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6));

    /// <summary>Ids of the jobs that ran before, whose earlier attempts the claim answer lists.</summary>
    public static List<string> Retried(IEnumerable<LeasedJobRow> jobs) => [.. jobs.Where(j => j.Attempt > 1).Select(j => j.Id)];

    /// <summary>The claim answer's records, each with the attempts before this one.</summary>
    public static List<ClaimedJobRecord> ToClaimed(IEnumerable<LeasedJobRow> jobs, Dictionary<string, List<StoredJobAttempt>> history) =>
    [
        .. jobs.Select(j => new ClaimedJobRecord(
            j.Id,
            j.Op,
            j.Payload,
            StoreValues.FromUnixMs(j.LeaseUntil),
            j.Attempt,
            j.Priority,
            StoreValues.FromUnixMs(j.CreatedAt),
            history.TryGetValue(j.Id, out var attempts) ? attempts.Where(a => a.Attempt < j.Attempt).ToList() : [],
            j.TraceParent)),
    ];
}
