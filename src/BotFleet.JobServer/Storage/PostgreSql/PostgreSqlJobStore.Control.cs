using Npgsql;

namespace BotFleet.JobServer.Storage.PostgreSql;

// An operator's actions (requeue, discard and cancel) and the retention policy's deletes.
internal sealed partial class PostgreSqlJobStore
{
    private const string RequeueSet = "status = 'pending', max_attempts = j.attempt + @attempts, run_after = @now, updated_at = @now";

    private protected override async ValueTask<Dictionary<string, (string Status, string Op)>> LockJobsAsync(
        NpgsqlTransaction transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string Status, string Op)>(StringComparer.Ordinal);
        await using var command = Command(transaction, "SELECT id, status, op FROM jobs WHERE id = ANY(@ids) ORDER BY id FOR UPDATE");
        Add(command, "ids", jobIds.Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return found;
    }

    private protected override async ValueTask RequeueJobsAsync(NpgsqlTransaction transaction, JobControlPlan plan, int attempts, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, $"UPDATE jobs j SET {RequeueSet} WHERE id = ANY(@ids)");
        Add(command, "ids", plan.Applicable);
        Add(command, "attempts", attempts);
        Add(command, "now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private protected override async ValueTask<Dictionary<string, int>> RequeueOldestAsync(
        NpgsqlTransaction transaction, OldestJobs jobs, int attempts, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(
            transaction,
            $"""
            WITH picked AS ({Locked(jobs)})
            UPDATE jobs j SET {RequeueSet} FROM picked WHERE j.seq = picked.seq
            RETURNING j.op
            """);
        Bind(command, jobs);
        Add(command, "attempts", attempts);
        Add(command, "now", now);
        return await ReadOpsAsync(command, cancellationToken);
    }

    private protected override async ValueTask DeleteJobsAsync(NpgsqlTransaction transaction, JobControlPlan plan, CancellationToken cancellationToken)
    {
        await using var command = Command(
            transaction,
            """
            WITH attempts AS (DELETE FROM job_attempts WHERE job_id = ANY(@ids))
            DELETE FROM jobs WHERE id = ANY(@ids)
            """);
        Add(command, "ids", plan.Applicable);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One statement; the foreign key from job_attempts is checked when it ends.</summary>
    private protected override async ValueTask<Dictionary<string, int>> DeleteOldestAsync(NpgsqlTransaction transaction, OldestJobs jobs, CancellationToken cancellationToken)
    {
        await using var command = Command(
            transaction,
            $"""
            WITH picked AS ({Locked(jobs)}),
            attempts AS (DELETE FROM job_attempts a USING picked p WHERE a.job_id = p.id)
            DELETE FROM jobs j USING picked p WHERE j.seq = p.seq
            RETURNING j.op
            """);
        Bind(command, jobs);
        return await ReadOpsAsync(command, cancellationToken);
    }

    private protected override async ValueTask CancelPendingAsync(
        NpgsqlTransaction transaction, IReadOnlyList<(string Id, string Op)> jobs, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = ANY(@ids)");
        Add(command, "ids", jobs.Select(j => j.Id).ToArray());
        Add(command, "now", now);
        Add(command, "error", JobCancellation.Error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private protected override async ValueTask RequestCancelAsync(NpgsqlTransaction transaction, string[] jobIds, long now, CancellationToken cancellationToken)
    {
        await using var command = Command(
            transaction, "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = ANY(@ids)");
        Add(command, "ids", jobIds);
        Add(command, "now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The jobs' seq and id, locked; rows another transaction holds are skipped.</summary>
    private static string Locked(OldestJobs jobs) => jobs.Select("seq, id") + " FOR UPDATE SKIP LOCKED";

    private static void Bind(NpgsqlCommand command, OldestJobs jobs)
    {
        foreach (var (name, value) in jobs.Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }
    }
}
