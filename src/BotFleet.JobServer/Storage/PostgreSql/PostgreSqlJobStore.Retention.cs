using BotFleet.JobApi.Wire;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

// The retention policy's deletes (Retention/JobRetention).
public sealed partial class PostgreSqlJobStore
{
    public Task<int> PruneAsync(string status, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        if (status is not (JobStatuses.Completed or JobStatuses.Dead))
        {
            throw new ArgumentException($"Only completed and dead jobs are pruned, not {status}.", nameof(status));
        }

        return InTransactionAsync(
            async (connection, transaction, _) =>
            {
                // The status as a literal, so a dead prune walks ix_jobs_dead; rows another server prunes are skipped.
                await using var command = Command(
                    connection,
                    transaction,
                    $"""
                    WITH picked AS (
                        SELECT seq, id FROM jobs WHERE status = {StatusLiteral(status)} AND updated_at < @before
                        ORDER BY seq LIMIT @limit FOR UPDATE SKIP LOCKED
                    ), attempts AS (
                        DELETE FROM job_attempts a USING picked p WHERE a.job_id = p.id
                    )
                    DELETE FROM jobs j USING picked p WHERE j.seq = p.seq
                    """);
                Add(command, "before", endedBefore.ToUnixTimeMilliseconds());
                Add(command, "limit", limit);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }
}
