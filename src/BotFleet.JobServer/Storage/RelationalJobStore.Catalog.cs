using System.Data.Common;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage;

// Reading jobs: one job, pages of jobs, counts, queue ages.
internal abstract partial class RelationalJobStore<TTransaction, TConnection>
{
    /// <summary>The columns of a <see cref="JobRow"/>, in its order.</summary>
    private const string JobColumns =
        "seq, id, op, payload, status, priority, attempt, max_attempts, result, error, run_after, lease_until, created_at, updated_at, "
        + "lease_bot_id, lease_instance_id, lease_started_at, cancel_requested_at, progress_percent, progress_message, progress_attempt";

    /// <summary>Jobs per (op, status); a dialect may keep several change rows per pair (PostgreSQL's triggers append them).</summary>
    private const string StatusCountsSql = "SELECT op, status, CAST(sum(n) AS bigint) FROM job_status_counts GROUP BY op, status HAVING sum(n) <> 0";

    public Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        ReadAsync<StoredJob?>(async connection =>
        {
            var rows = await ReadJobRowsAsync(connection, $"SELECT {JobColumns} FROM jobs WHERE id = @id", [("@id", jobId)], cancellationToken);
            if (rows.Count == 0)
            {
                return null;
            }

            var attempts = await LoadAttemptsAsync(connection, null, [jobId], cancellationToken);
            return ToStoredJob(rows[0], attempts);
        }, cancellationToken);

    public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            // The status as a literal, so the planner can pick the partial index of that status (ix_jobs_pending,
            // ix_jobs_dead, ix_jobs_lease); completed jobs are most rows and come in primary-key order.
            var where = "seq > @after"
                + (query.Status is null ? string.Empty : $" AND status = {StatusLiteral(query.Status)}")
                + (query.Op is null ? string.Empty : " AND op = @op");
            (string, object)[] parameters = query.Op is null
                ? [("@after", query.After ?? 0L), ("@limit", query.Limit + 1)]
                : [("@after", query.After ?? 0L), ("@limit", query.Limit + 1), ("@op", query.Op)];
            var rows = await ReadJobRowsAsync(connection, $"SELECT {JobColumns} FROM jobs WHERE {where} ORDER BY seq LIMIT @limit", parameters, cancellationToken);
            long? next = null;
            if (rows.Count > query.Limit)
            {
                rows.RemoveAt(rows.Count - 1);
                next = rows[^1].Seq;
            }

            var attempts = await LoadAttemptsAsync(connection, null, [.. rows.Select(r => r.Id)], cancellationToken);
            return new JobPage([.. rows.Select(r => ToStoredJob(r, attempts))], next);
        }, cancellationToken);

    public Task<JobStoreStats> GetStatsAsync(CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            var byOp = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
            await using (var command = Command(connection, StatusCountsSql))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var op = reader.GetString(0);
                    var counts = byOp.TryGetValue(op, out var c) ? c : byOp[op] = new long[StatusCount];
                    counts[StatusIndex(reader.GetString(1))] += reader.GetInt64(2);
                }
            }

            long registered = 0, active = 0;
            var activeSince = TimeProvider.GetUtcNow().Subtract(Options.ActiveBotWindow).ToUnixTimeMilliseconds();
            await using (var command = Command(
                connection,
                "SELECT count(*), COALESCE(SUM(CASE WHEN last_seen_at >= @since THEN 1 ELSE 0 END), 0) FROM bots",
                ("@since", activeSince)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    registered = reader.GetInt64(0);
                    active = reader.GetInt64(1);
                }
            }

            return ToStats(byOp, registered, active);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetOldestPendingAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, DateTimeOffset>>(async connection =>
        {
            var oldest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            await using var command = Command(connection, "SELECT op, min(created_at) FROM jobs WHERE status = 'pending' GROUP BY op");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                oldest[reader.GetString(0)] = FromUnixMs(reader.GetInt64(1));
            }

            return oldest;
        }, cancellationToken);

    /// <summary>
    /// The recorded attempts of these jobs (none asked: none read), in attempt order, as
    /// <see cref="StoreValues.AddAttempt"/> gathers them; on a connection, or inside a transaction when one is given.
    /// </summary>
    private protected abstract ValueTask<Dictionary<string, List<StoredJobAttempt>>> LoadAttemptsAsync(
        TConnection connection, TTransaction? transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken);

    private static async Task<List<JobRow>> ReadJobRowsAsync(DbConnection connection, string sql, (string, object)[] parameters, CancellationToken cancellationToken)
    {
        var rows = new List<JobRow>();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(JobRow.Read(reader));
        }

        return rows;
    }
}
