using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using Npgsql;

namespace BotFleet.JobServer.Storage.PostgreSql;

// An operator's actions on dead jobs: requeue and discard, by id or over all dead jobs (of one operation).
public sealed partial class PostgreSqlJobStore
{
    private const string RequeueSet = "status = 'pending', max_attempts = j.attempt + @attempts, run_after = @now, updated_at = @now";

    public async Task<IReadOnlyList<JobControlResult>> RequeueAsync(IReadOnlyList<string> jobIds, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var plan = await InTransactionAsync(
            async (connection, transaction, now) =>
            {
                var plan = JobControlPlan.For(jobIds, await LockJobsAsync(connection, transaction, jobIds, cancellationToken));
                if (plan.Applicable.Length > 0)
                {
                    await using var command = Command(connection, transaction, $"UPDATE jobs j SET {RequeueSet} WHERE id = ANY(@ids)");
                    Add(command, "ids", plan.Applicable);
                    Add(command, "attempts", attempts);
                    Add(command, "now", now);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    await NotifyArrivalsAsync(connection, transaction, [.. plan.ByOp.Keys], cancellationToken);
                }

                return plan;
            },
            cancellationToken);
        Requeued(plan.ByOp, attempts);
        return plan.Results;
    }

    public async Task<int> RequeueDeadAsync(string? op, int limit, int attempts, CancellationToken cancellationToken)
    {
        var ops = await InTransactionAsync(
            async (connection, transaction, now) =>
            {
                await using var command = Command(
                    connection,
                    transaction,
                    $"""
                    WITH picked AS ({OldestSql(JobStatuses.Dead, OpFilter(op))})
                    UPDATE jobs j SET {RequeueSet} FROM picked WHERE j.seq = picked.seq
                    RETURNING j.op
                    """);
                AddDeadSelection(command, op, limit);
                Add(command, "attempts", attempts);
                Add(command, "now", now);
                var ops = await ReadStringsAsync(command, cancellationToken);
                if (ops.Count > 0)
                {
                    await NotifyArrivalsAsync(connection, transaction, [.. ops.Distinct(StringComparer.Ordinal)], cancellationToken);
                }

                return ops;
            },
            cancellationToken);
        Requeued(JobControlPlan.CountByOp(ops), attempts);
        return ops.Count;
    }

    public async Task<IReadOnlyList<JobControlResult>> DiscardAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var plan = await InTransactionAsync(
            async (connection, transaction, _) =>
            {
                var plan = JobControlPlan.For(jobIds, await LockJobsAsync(connection, transaction, jobIds, cancellationToken));
                if (plan.Applicable.Length > 0)
                {
                    await using var command = Command(
                        connection,
                        transaction,
                        """
                        WITH attempts AS (DELETE FROM job_attempts WHERE job_id = ANY(@ids))
                        DELETE FROM jobs WHERE id = ANY(@ids)
                        """);
                    Add(command, "ids", plan.Applicable);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return plan;
            },
            cancellationToken);
        _events?.JobsDiscarded(plan.ByOp);
        return plan.Results;
    }

    public async Task<int> DiscardDeadAsync(string? op, int limit, CancellationToken cancellationToken)
    {
        var ops = await InTransactionAsync(
            (connection, transaction, _) => DeleteOldestAsync(
                connection, transaction, JobStatuses.Dead, OpFilter(op), command => AddDeadSelection(command, op, limit), cancellationToken),
            cancellationToken);
        _events?.JobsDiscarded(JobControlPlan.CountByOp(ops));
        return ops.Count;
    }

    private static string OpFilter(string? op) => op is null ? string.Empty : " AND op = @op";

    private static void AddDeadSelection(NpgsqlCommand command, string? op, int limit)
    {
        Add(command, "limit", limit);
        if (op is not null)
        {
            Add(command, "op", op);
        }
    }

    /// <summary>Locks the named jobs in id order (as reports do, so the two never deadlock) and reads their status and operation.</summary>
    private static async Task<Dictionary<string, (string Status, string Op)>> LockJobsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string Status, string Op)>(StringComparer.Ordinal);
        await using var command = Command(connection, transaction, "SELECT id, status, op FROM jobs WHERE id = ANY(@ids) ORDER BY id FOR UPDATE");
        Add(command, "ids", jobIds.Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return found;
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
