using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;

namespace BotFleet.JobServer.Storage.Sqlite;

// An operator's actions on dead jobs: requeue and discard, by id or over all dead jobs (of one operation).
public sealed partial class SqliteJobStore
{
    private const string RequeueSet = "status = 'pending', max_attempts = attempt + @attempts, run_after = @now, updated_at = @now";

    public async Task<IReadOnlyList<JobControlResult>> RequeueAsync(IReadOnlyList<string> jobIds, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var plan = await WriteAsync(
            (write, now) =>
            {
                var plan = JobControlPlan.For(jobIds, ReadJobStates(write, jobIds));
                var requeue = write.Statement($"UPDATE jobs SET {RequeueSet} WHERE id = @id", ("@id", string.Empty), ("@attempts", attempts), ("@now", now));
                foreach (var id in plan.Applicable)
                {
                    requeue.Parameters["@id"].Value = id;
                    requeue.ExecuteNonQuery();
                }

                MoveDeadTo(write, plan.ByOp, JobStatuses.Pending);
                return plan;
            },
            cancellationToken);
        Requeued(plan.ByOp, attempts);
        return plan.Results;
    }

    public async Task<int> RequeueDeadAsync(string? op, int limit, int attempts, CancellationToken cancellationToken)
    {
        var byOp = await WriteAsync(
            (write, now) =>
            {
                var byOp = ReadOps(write.Statement(
                    $"UPDATE jobs SET {RequeueSet} WHERE seq IN ({OldestSql(JobStatuses.Dead, OpFilter(op))}) RETURNING op",
                    DeadSelection(op, limit, ("@attempts", attempts), ("@now", now))));
                MoveDeadTo(write, byOp, JobStatuses.Pending);
                return byOp;
            },
            cancellationToken);
        Requeued(byOp, attempts);
        return byOp.Values.Sum();
    }

    public async Task<IReadOnlyList<JobControlResult>> DiscardAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var plan = await WriteAsync(
            (write, _) =>
            {
                var plan = JobControlPlan.For(jobIds, ReadJobStates(write, jobIds));
                var attempts = write.Statement("DELETE FROM job_attempts WHERE job_id = @id", ("@id", string.Empty));
                var job = write.Statement("DELETE FROM jobs WHERE id = @id", ("@id", string.Empty));
                foreach (var id in plan.Applicable)
                {
                    attempts.Parameters["@id"].Value = id;
                    attempts.ExecuteNonQuery();
                    job.Parameters["@id"].Value = id;
                    job.ExecuteNonQuery();
                }

                MoveDeadTo(write, plan.ByOp, to: null);
                return plan;
            },
            cancellationToken);
        _events?.JobsDiscarded(plan.ByOp);
        return plan.Results;
    }

    public async Task<int> DiscardDeadAsync(string? op, int limit, CancellationToken cancellationToken)
    {
        var byOp = await WriteAsync(
            (write, _) => DeleteOldest(write, JobStatuses.Dead, OpFilter(op), DeadSelection(op, limit)),
            cancellationToken);
        _events?.JobsDiscarded(byOp);
        return byOp.Values.Sum();
    }

    private static string OpFilter(string? op) => op is null ? string.Empty : " AND op = @op";

    private static (string Name, object? Value)[] DeadSelection(string? op, int limit, params (string Name, object? Value)[] more) =>
        [("@limit", limit), .. op is null ? Array.Empty<(string, object?)>() : [("@op", op)], .. more];

    private static Dictionary<string, (string Status, string Op)> ReadJobStates(SqliteWriteConnection write, IReadOnlyList<string> jobIds)
    {
        var found = new Dictionary<string, (string Status, string Op)>(StringComparer.Ordinal);
        var read = write.Statement("SELECT status, op FROM jobs WHERE id = @id", ("@id", string.Empty));
        foreach (var id in jobIds)
        {
            if (found.ContainsKey(id))
            {
                continue;
            }

            read.Parameters["@id"].Value = id;
            using var reader = read.ExecuteReader();
            if (reader.Read())
            {
                found[id] = (reader.GetString(0), reader.GetString(1));
            }
        }

        return found;
    }

    /// <summary>Records in job_status_counts that these dead jobs moved to <paramref name="to"/> (null: deleted).</summary>
    private static void MoveDeadTo(SqliteWriteConnection write, Dictionary<string, int> byOp, string? to)
    {
        var counts = new StatusCountDeltas();
        foreach (var (op, count) in byOp)
        {
            if (to is null)
            {
                counts.Remove(op, JobStatuses.Dead, count);
            }
            else
            {
                counts.Move(op, JobStatuses.Dead, to, count);
            }
        }

        counts.Write(write);
    }

    private void Requeued(Dictionary<string, int> byOp, int attempts)
    {
        if (byOp.Count == 0)
        {
            return;
        }

        _events?.JobsRequeued(byOp, attempts);
        _arrivals.NotifyEach(byOp.Keys);
    }
}
