using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using Npgsql;
using NpgsqlTypes;

namespace BotFleet.JobServer.Storage.PostgreSql;

// Jobs in motion: submit, claim, report, and the sweep of expired leases.
internal sealed partial class PostgreSqlJobStore
{
    /// <summary>
    /// Ends every expired lease that nobody holds a lock on, and tells the earliest lease left. SKIP LOCKED plus the
    /// re-check of the WHERE clause on the locked row means a lease being extended (or reported) right now is never
    /// taken away.
    /// </summary>
    private const string SweepSql = """
        WITH expired AS (
            SELECT seq, lease_bot_id, lease_instance_id, COALESCE(lease_started_at, updated_at) AS started FROM jobs
            WHERE status = 'leased' AND lease_until < @now
            FOR UPDATE SKIP LOCKED
        ), swept AS (
            UPDATE jobs j
            SET status = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled' WHEN j.attempt >= j.max_attempts THEN 'dead' ELSE 'pending' END,
                error = @error, run_after = @now, lease_until = NULL, lease_bot_id = NULL, lease_instance_id = NULL,
                lease_started_at = NULL, updated_at = @now
            FROM expired
            WHERE j.seq = expired.seq
            RETURNING j.id, j.op, j.status, j.attempt, expired.lease_bot_id, expired.lease_instance_id, expired.started
        ), lost AS (
            -- The attempt's one write: it ends here.
            INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started, ended, outcome, error)
            SELECT id, attempt, lease_bot_id, lease_instance_id, started, @now, 'lost', @error FROM swept
        )
        SELECT count(*)::integer,
               (SELECT min(lease_until) FROM jobs WHERE status = 'leased' AND lease_until >= @now),
               array_agg(id) FILTER (WHERE status = 'dead'),
               array_agg(op) FILTER (WHERE status = 'dead'),
               array_agg(attempt) FILTER (WHERE status = 'dead'),
               array_agg(id) FILTER (WHERE status = 'cancelled'),
               array_agg(op) FILTER (WHERE status = 'cancelled')
        FROM swept
        """;

    private protected override async ValueTask<IReadOnlyList<string>> InsertJobsAsync(
        NpgsqlTransaction transaction, IReadOnlyList<NewJob> jobs, long now, CancellationToken cancellationToken)
    {
        var ids = new string[jobs.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Ids.NewJobId(now);
        }

        // One multi-row insert from arrays, in input order (seq is the age). A known key, whether committed earlier, by
        // a concurrent submitter (the insert waits for it), or earlier in this batch, inserts nothing.
        await using (var command = Command(
            transaction,
            """
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, idempotency_key, created_at, updated_at, trace_parent)
            SELECT t.id, t.op, t.payload, 'pending', t.priority, 0, t.max_attempts, t.run_after, t.idempotency_key, @now, @now, t.trace_parent
            FROM unnest(@ids, @ops, @payloads, @priorities, @maxAttempts, @runAfters, @keys, @traces)
                 WITH ORDINALITY AS t(id, op, payload, priority, max_attempts, run_after, idempotency_key, trace_parent, ord)
            ORDER BY t.ord
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """))
        {
            Add(command, "ids", ids);
            Add(command, "ops", jobs.Select(j => j.Op).ToArray());
            Add(command, "payloads", jobs.Select(j => j.PayloadJson).ToArray());
            Add(command, "priorities", jobs.Select(j => (int)j.Priority).ToArray());
            Add(command, "maxAttempts", jobs.Select(j => j.MaxAttempts).ToArray());
            Add(command, "runAfters", jobs.Select(j => j.RunAfter?.ToUnixTimeMilliseconds() ?? now).ToArray());
            AddNullable(command, "keys", NpgsqlDbType.Array | NpgsqlDbType.Text, jobs.Select(j => j.IdempotencyKey).ToArray());
            AddNullable(command, "traces", NpgsqlDbType.Array | NpgsqlDbType.Text, jobs.Select(j => j.TraceParent).ToArray());
            Add(command, "now", now);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var keys = jobs.Where(j => j.IdempotencyKey is not null).Select(j => j.IdempotencyKey!).Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length > 0)
        {
            // A new statement sees what concurrent submitters committed while the insert waited for them.
            var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var command = Command(transaction, "SELECT idempotency_key, id FROM jobs WHERE idempotency_key = ANY(@keys)");
            Add(command, "keys", keys);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                byKey[reader.GetString(0)] = reader.GetString(1);
            }

            for (var i = 0; i < ids.Length; i++)
            {
                if (jobs[i].IdempotencyKey is { } key)
                {
                    ids[i] = byKey[key];
                }
            }
        }

        return ids;
    }

    /// <summary>Locks the bot's row first, so a repeat that arrives while the first claim still runs waits for it and sees what it leased.</summary>
    private protected override async ValueTask<List<LeasedJobRow>?> ReadRepeatedClaimAsync(
        NpgsqlTransaction transaction, string botId, string claimId, long now, CancellationToken cancellationToken)
    {
        string[]? jobIds;
        await using (var command = Command(transaction, "SELECT last_claim_id, last_claim_jobs FROM bots WHERE bot_id = @bot FOR UPDATE"))
        {
            Add(command, "bot", botId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0) || reader.GetString(0) != claimId || reader.IsDBNull(1))
            {
                return null;
            }

            jobIds = reader.GetFieldValue<string[]>(1);
        }

        var repeated = new List<LeasedJobRow>();
        await using (var command = Command(
            transaction,
            """
            WITH seen AS (UPDATE bots SET last_seen_at = @now WHERE bot_id = @bot)
            SELECT id, op, payload, priority, attempt, created_at, trace_parent, lease_until FROM jobs
            WHERE id = ANY(@ids) AND status = 'leased' AND lease_bot_id = @bot
            ORDER BY priority DESC, seq
            """))
        {
            Add(command, "ids", jobIds);
            Add(command, "bot", botId);
            Add(command, "now", now);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                repeated.Add(LeasedJobRow.Read(reader, 0, reader.GetInt64(7)));
            }
        }

        return repeated;
    }

    /// <summary>
    /// One statement: read the bot's assignment (locking its row), pick and lock the best runnable jobs it allows
    /// (skipping rows other claimers hold), lease them, and mark the bot seen, remembering the claim under its claim_id.
    /// LIMIT counts only rows actually locked, so a busy queue never looks empty. No row at all means an unknown bot;
    /// one row without a job, that nothing was claimed.
    /// </summary>
    private protected override async ValueTask<List<LeasedJobRow>?> LeaseAsync(NpgsqlTransaction transaction, LeaseRequest request, CancellationToken cancellationToken)
    {
        var leased = new List<LeasedJobRow>();
        var known = false;
        // The planner setting goes first in the same round trip; the reader skips its empty result.
        await using (var command = Command(
            transaction,
            $"""
            {ClaimPlannerSettings};
            WITH bot AS (
                SELECT instance_id, COALESCE(assigned_operations, capabilities) AS ops, paused FROM bots WHERE bot_id = @bot
                FOR UPDATE
            ), picked AS (
                -- Per operation, so that each pick walks ix_jobs_claim in (priority DESC, seq) order and stops
                -- at the limit; one scan over op = ANY(...) had to sort the whole pending queue on every claim.
                SELECT p.seq FROM bot CROSS JOIN unnest(@ops) AS o(op)
                CROSS JOIN LATERAL (
                    SELECT j.seq, j.priority FROM jobs j
                    WHERE j.status = 'pending' AND j.op = o.op AND j.run_after <= @now
                      AND NOT bot.paused AND o.op = ANY(bot.ops)
                    ORDER BY j.priority DESC, j.seq
                    LIMIT @limit
                    FOR UPDATE SKIP LOCKED
                ) p
                ORDER BY p.priority DESC, p.seq
                LIMIT @limit
            ), claimed AS (
                UPDATE jobs j
                SET status = 'leased', attempt = j.attempt + 1, lease_until = @lease, lease_bot_id = @bot,
                    lease_instance_id = bot.instance_id, lease_started_at = @now, updated_at = @now
                FROM picked, bot
                WHERE j.seq = picked.seq
                RETURNING j.seq, j.id, j.op, j.payload, j.priority, j.attempt, j.created_at, j.trace_parent
            ), seen AS (
                -- A claim that leased jobs under a claim_id is remembered, so a repeat of it can be answered alike.
                UPDATE bots SET last_seen_at = @now,
                    last_claim_id = CASE WHEN @claim::text IS NOT NULL AND EXISTS (SELECT 1 FROM claimed) THEN @claim::text ELSE last_claim_id END,
                    last_claim_jobs = CASE WHEN @claim::text IS NOT NULL AND EXISTS (SELECT 1 FROM claimed) THEN ARRAY(SELECT id FROM claimed) ELSE last_claim_jobs END
                WHERE bot_id = @bot
            )
            SELECT c.id, c.op, c.payload, c.priority, c.attempt, c.created_at, c.trace_parent
            FROM bot LEFT JOIN claimed c ON true
            ORDER BY c.priority DESC, c.seq
            """))
        {
            Add(command, "ops", request.Operations);
            Add(command, "now", request.Now);
            Add(command, "limit", request.Limit);
            Add(command, "lease", request.LeaseUntil);
            Add(command, "bot", request.BotId);
            AddNullable(command, "claim", NpgsqlDbType.Text, request.ClaimId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                known = true;
                if (!reader.IsDBNull(0))
                {
                    leased.Add(LeasedJobRow.Read(reader, 0, request.LeaseUntil));
                }
            }
        }

        return known ? leased : null;
    }

    private protected override async ValueTask<SweptLeases> SweepExpiredAsync(NpgsqlTransaction transaction, long now, CancellationToken cancellationToken)
    {
        EndedJobs? ended = null;
        await using var command = Command(transaction, SweepSql);
        Add(command, "now", now);
        Add(command, "error", LeaseExpiredError);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var swept = reader.GetInt32(0);
        long? earliestLeft = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        if (!reader.IsDBNull(2))
        {
            var ids = reader.GetFieldValue<string[]>(2);
            var ops = reader.GetFieldValue<string[]>(3);
            var attempts = reader.GetFieldValue<int[]>(4);
            for (var i = 0; i < ids.Length; i++)
            {
                (ended ??= new()).Died.Add(new DeadJob(ids[i], ops[i], attempts[i], LeaseExpiredError));
            }
        }

        if (!reader.IsDBNull(5))
        {
            var ids = reader.GetFieldValue<string[]>(5);
            var ops = reader.GetFieldValue<string[]>(6);
            for (var i = 0; i < ids.Length; i++)
            {
                (ended ??= new()).Cancelled.Add((ids[i], ops[i]));
            }
        }

        return new SweptLeases(swept, ended, earliestLeft);
    }

    /// <summary>
    /// Locks the reported jobs in id order and reads them with their latest attempts, in one round trip. The read is a
    /// statement of its own after the lock: it sees the attempt of a claim that committed while we waited.
    /// </summary>
    private protected override async ValueTask<Dictionary<string, ReportedJob>> ReadReportedJobsAsync(
        NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT 1 FROM jobs WHERE id = ANY(@ids) ORDER BY id FOR UPDATE"),
                new NpgsqlBatchCommand($"{ReportedJob.SelectSql} WHERE j.id = ANY(@ids)"),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>("ids", ids));
        }

        var jobs = new Dictionary<string, ReportedJob>(ids.Length, StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var job = ReportedJob.Read(reader);
            jobs[job.Id] = job;
        }

        return jobs;
    }

    private protected override async ValueTask<IReadOnlySet<(string, string, string)>> ReadEarlierFailuresAsync(
        NpgsqlTransaction transaction, IReadOnlyList<string> jobIds, string botId, CancellationToken cancellationToken)
    {
        await using var command = Command(
            transaction,
            "SELECT job_id, instance_id, error FROM job_attempts WHERE job_id = ANY(@ids) AND bot_id = @bot AND outcome = 'failed' AND error IS NOT NULL");
        Add(command, "ids", jobIds.ToArray());
        Add(command, "bot", botId);
        var failures = new HashSet<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return failures;
    }

    /// <summary>Set-based statements over arrays, in one round trip.</summary>
    private protected override async ValueTask WriteReportedJobsAsync(NpgsqlTransaction transaction, List<ReportedJob> changed, long now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        var jobs = new NpgsqlBatchCommand(
            """
            UPDATE jobs j
            SET status = u.status,
                result = CASE WHEN u.status = 'completed' THEN u.result ELSE j.result END,
                error = u.error,
                run_after = CASE WHEN u.status = 'completed' THEN j.run_after ELSE u.run_after END,
                lease_until = NULL,
                lease_bot_id = CASE WHEN u.keep THEN j.lease_bot_id END,
                lease_instance_id = CASE WHEN u.keep THEN j.lease_instance_id END,
                lease_started_at = CASE WHEN u.keep THEN j.lease_started_at END,
                updated_at = @now
            FROM unnest(@ids, @statuses, @results, @errors, @runAfters, @keep) AS u(id, status, result, error, run_after, keep)
            WHERE j.id = u.id
            """);
        jobs.Parameters.Add(new NpgsqlParameter<string[]>("ids", changed.Select(j => j.Id).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter<string[]>("statuses", changed.Select(j => j.Status).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter("results", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changed.Select(j => j.Result).ToArray() });
        jobs.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changed.Select(j => j.Error).ToArray() });
        jobs.Parameters.Add(new NpgsqlParameter<long[]>("runAfters", changed.Select(j => j.RunAfter).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter<bool[]>("keep", changed.Select(j => j.KeepsAttemptOnRow).ToArray()));
        jobs.Parameters.Add(new NpgsqlParameter<long>("now", now));
        batch.BatchCommands.Add(jobs);

        var recorded = changed.Where(j => !j.KeepsAttemptOnRow).ToList();
        if (recorded.Count > 0)
        {
            var attempts = new NpgsqlBatchCommand(
                """
                INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started, ended, outcome, error)
                SELECT u.id, u.attempt, u.bot_id, u.instance_id, u.started, @now, u.outcome, u.error
                FROM unnest(@ids, @attempts, @bots, @instances, @starts, @outcomes, @errors)
                     AS u(id, attempt, bot_id, instance_id, started, outcome, error)
                ON CONFLICT (job_id, attempt) DO UPDATE SET ended = excluded.ended, outcome = excluded.outcome, error = excluded.error
                """);
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("ids", recorded.Select(j => j.Id).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<int[]>("attempts", recorded.Select(j => j.Attempt).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("bots", recorded.Select(j => j.AttemptBotId!).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("instances", recorded.Select(j => j.AttemptInstanceId!).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<long[]>("starts", recorded.Select(j => j.AttemptStartedAt ?? now).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter<string[]>("outcomes", recorded.Select(j => j.AttemptOutcome!).ToArray()));
            attempts.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = recorded.Select(j => j.AttemptError).ToArray() });
            attempts.Parameters.Add(new NpgsqlParameter<long>("now", now));
            batch.BatchCommands.Add(attempts);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>NOTIFY of <see cref="PostgreSqlJobArrivalListener.Channel"/>, one per operation (payload: its name, or <see cref="PostgreSqlJobArrivalListener.AllOperations"/>).</summary>
    private protected override async ValueTask AnnounceArrivalsAsync(NpgsqlTransaction transaction, IReadOnlyCollection<string>? operations, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, $"SELECT pg_notify('{PostgreSqlJobArrivalListener.Channel}', op) FROM unnest(@ops) AS op");
        Add(command, "ops", operations is null ? [PostgreSqlJobArrivalListener.AllOperations] : operations.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
