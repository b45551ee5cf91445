using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Storage.Sqlite;

// An operator's actions (requeue, discard and cancel) and the retention policy's deletes; each moves the status counts.
internal sealed partial class SqliteJobStore
{
    private const string RequeueSet = "status = 'pending', max_attempts = attempt + @attempts, run_after = @now, updated_at = @now";

    /// <summary>The write lock is the lock: nothing changes these jobs until the commit.</summary>
    private protected override ValueTask<Dictionary<string, (string Status, string Op)>> LockJobsAsync(
        SqliteWriteConnection transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string Status, string Op)>(StringComparer.Ordinal);
        var read = transaction.Statement("SELECT status, op FROM jobs WHERE id = @id", ("@id", string.Empty));
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

        return ValueTask.FromResult(found);
    }

    private protected override ValueTask RequeueJobsAsync(SqliteWriteConnection transaction, JobControlPlan plan, int attempts, long now, CancellationToken cancellationToken)
    {
        var requeue = transaction.Statement($"UPDATE jobs SET {RequeueSet} WHERE id = @id", ("@id", string.Empty), ("@attempts", attempts), ("@now", now));
        foreach (var id in plan.Applicable)
        {
            requeue.Parameters["@id"].Value = id;
            requeue.ExecuteNonQuery();
        }

        MoveDeadTo(transaction, plan.ByOp, JobStatuses.Pending);
        return ValueTask.CompletedTask;
    }

    private protected override async ValueTask<Dictionary<string, int>> RequeueOldestAsync(
        SqliteWriteConnection transaction, OldestJobs jobs, int attempts, long now, CancellationToken cancellationToken)
    {
        var byOp = await ReadOpsAsync(
            transaction.Statement(
                $"UPDATE jobs SET {RequeueSet} WHERE seq IN ({jobs.Select("seq")}) RETURNING op",
                [.. Parameters(jobs), ("@attempts", attempts), ("@now", now)]),
            CancellationToken.None);
        MoveDeadTo(transaction, byOp, JobStatuses.Pending);
        return byOp;
    }

    private protected override ValueTask DeleteJobsAsync(SqliteWriteConnection transaction, JobControlPlan plan, CancellationToken cancellationToken)
    {
        var attempts = transaction.Statement("DELETE FROM job_attempts WHERE job_id = @id", ("@id", string.Empty));
        var job = transaction.Statement("DELETE FROM jobs WHERE id = @id", ("@id", string.Empty));
        foreach (var id in plan.Applicable)
        {
            attempts.Parameters["@id"].Value = id;
            attempts.ExecuteNonQuery();
            job.Parameters["@id"].Value = id;
            job.ExecuteNonQuery();
        }

        MoveDeadTo(transaction, plan.ByOp, to: null);
        return ValueTask.CompletedTask;
    }

    /// <summary>Both statements pick the same jobs: the write lock is held.</summary>
    private protected override async ValueTask<Dictionary<string, int>> DeleteOldestAsync(SqliteWriteConnection transaction, OldestJobs jobs, CancellationToken cancellationToken)
    {
        var picked = jobs.Select("seq");
        var parameters = Parameters(jobs);
        transaction.Statement($"DELETE FROM job_attempts WHERE job_id IN (SELECT id FROM jobs WHERE seq IN ({picked}))", parameters).ExecuteNonQuery();
        var byOp = await ReadOpsAsync(transaction.Statement($"DELETE FROM jobs WHERE seq IN ({picked}) RETURNING op", parameters), CancellationToken.None);
        var counts = new StatusCountDeltas();
        foreach (var (op, count) in byOp)
        {
            counts.Remove(op, jobs.Status, count);
        }

        counts.Write(transaction);
        return byOp;
    }

    private protected override ValueTask CancelPendingAsync(
        SqliteWriteConnection transaction, IReadOnlyList<(string Id, string Op)> jobs, long now, CancellationToken cancellationToken)
    {
        var cancel = transaction.Statement(
            "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = @id",
            ("@error", JobCancellation.Error),
            ("@now", now),
            ("@id", string.Empty));
        var counts = new StatusCountDeltas();
        foreach (var (id, op) in jobs)
        {
            cancel.Parameters["@id"].Value = id;
            cancel.ExecuteNonQuery();
            counts.Move(op, JobStatuses.Pending, JobStatuses.Cancelled);
        }

        counts.Write(transaction);
        return ValueTask.CompletedTask;
    }

    private protected override ValueTask RequestCancelAsync(SqliteWriteConnection transaction, string[] jobIds, long now, CancellationToken cancellationToken)
    {
        var ask = transaction.Statement(
            "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = @id",
            ("@now", now),
            ("@id", string.Empty));
        foreach (var id in jobIds)
        {
            ask.Parameters["@id"].Value = id;
            ask.ExecuteNonQuery();
        }

        return ValueTask.CompletedTask;
    }

    private static (string Name, object? Value)[] Parameters(OldestJobs jobs) => [.. jobs.Parameters.Select(p => (p.Name, (object?)p.Value))];

    /// <summary>Records in job_status_counts that these dead jobs moved to <paramref name="to"/> (null: deleted).</summary>
    private static void MoveDeadTo(SqliteWriteConnection transaction, Dictionary<string, int> byOp, string? to)
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

        counts.Write(transaction);
    }
}
