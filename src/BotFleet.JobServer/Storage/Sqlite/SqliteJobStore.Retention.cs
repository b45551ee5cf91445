using BotFleet.JobApi.Wire;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

// The retention policy's deletes (Retention/JobRetention).
public sealed partial class SqliteJobStore
{
    public Task<int> PruneAsync(string status, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        if (status is not (JobStatuses.Completed or JobStatuses.Dead))
        {
            throw new ArgumentException($"Only completed and dead jobs are pruned, not {status}.", nameof(status));
        }

        return WriteAsync(
            (write, _) =>
            {
                // The write lock is held: both statements pick the same jobs.
                var picked = $"SELECT seq FROM jobs WHERE status = {StatusLiteral(status)} AND updated_at < @before ORDER BY seq LIMIT @limit";
                (string, object?)[] parameters = [("@before", endedBefore.ToUnixTimeMilliseconds()), ("@limit", limit)];
                write.Statement($"DELETE FROM job_attempts WHERE job_id IN (SELECT id FROM jobs WHERE seq IN ({picked}))", parameters).ExecuteNonQuery();
                var byOp = ReadOps(write.Statement($"DELETE FROM jobs WHERE seq IN ({picked}) RETURNING op", parameters));
                var counts = new StatusCountDeltas();
                foreach (var (op, count) in byOp)
                {
                    counts.Remove(op, status, count);
                }

                counts.Write(write);
                return byOp.Values.Sum();
            },
            cancellationToken);
    }
}
