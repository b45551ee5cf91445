using System.Globalization;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using Microsoft.Data.Sqlite;

namespace BotFleet.JobServer.Storage.Sqlite;

// Jobs in motion: submit, claim, report, and the sweep of expired leases. The write lock is held throughout, so what
// a step reads stays as it is until the commit.
internal sealed partial class SqliteJobStore
{
    private protected override ValueTask<IReadOnlyList<string>> InsertJobsAsync(
        SqliteWriteConnection transaction, IReadOnlyList<NewJob> jobs, long now, CancellationToken cancellationToken)
    {
        var ids = new List<string>(jobs.Count);
        var counts = new StatusCountDeltas();
        var find = transaction.Statement("SELECT id FROM jobs WHERE idempotency_key = @key", ("@key", string.Empty));
        var insert = transaction.Statement(
            """
            INSERT INTO jobs (id, op, payload, status, priority, attempt, max_attempts, run_after, idempotency_key, created_at, updated_at, trace_parent)
            VALUES (@id, @op, @payload, 'pending', @priority, 0, @maxAttempts, @runAfter, @key, @now, @now, @trace)
            """,
            ("@id", string.Empty),
            ("@op", string.Empty),
            ("@payload", string.Empty),
            ("@priority", 0),
            ("@maxAttempts", 0),
            ("@runAfter", 0L),
            ("@key", null),
            ("@now", now),
            ("@trace", null));
        foreach (var job in jobs)
        {
            if (job.IdempotencyKey is not null)
            {
                find.Parameters["@key"].Value = job.IdempotencyKey;
                if (find.ExecuteScalar() is string existing)
                {
                    ids.Add(existing);
                    continue;
                }
            }

            var id = Ids.NewJobId(now);
            insert.Parameters["@id"].Value = id;
            insert.Parameters["@op"].Value = job.Op;
            insert.Parameters["@payload"].Value = job.PayloadJson;
            insert.Parameters["@priority"].Value = (int)job.Priority;
            insert.Parameters["@maxAttempts"].Value = job.MaxAttempts;
            insert.Parameters["@runAfter"].Value = job.RunAfter?.ToUnixTimeMilliseconds() ?? now;
            insert.Parameters["@key"].Value = (object?)job.IdempotencyKey ?? DBNull.Value;
            insert.Parameters["@trace"].Value = (object?)job.TraceParent ?? DBNull.Value;
            insert.ExecuteNonQuery();
            counts.Add(job.Op, JobStatuses.Pending);
            ids.Add(id);
        }

        counts.Write(transaction);
        return ValueTask.FromResult<IReadOnlyList<string>>(ids);
    }

    private protected override ValueTask<List<LeasedJobRow>?> ReadRepeatedClaimAsync(
        SqliteWriteConnection transaction, string botId, string claimId, long now, CancellationToken cancellationToken)
    {
        if (transaction.Scalar("SELECT last_claim_jobs FROM bots WHERE bot_id = @bot AND last_claim_id = @claim", ("@bot", botId), ("@claim", claimId))
            is not string claimed)
        {
            return ValueTask.FromResult<List<LeasedJobRow>?>(null);
        }

        transaction.Execute("UPDATE bots SET last_seen_at = @now WHERE bot_id = @bot", ("@now", now), ("@bot", botId));
        var repeated = new List<LeasedJobRow>();
        using (var reader = transaction.Statement(
            """
            SELECT id, op, payload, priority, attempt, created_at, trace_parent, lease_until FROM jobs
            WHERE id IN (SELECT value FROM json_each(@ids)) AND status = 'leased' AND lease_bot_id = @bot
            ORDER BY priority DESC, seq
            """,
            ("@ids", claimed),
            ("@bot", botId)).ExecuteReader())
        {
            while (reader.Read())
            {
                repeated.Add(LeasedJobRow.Read(reader, 0, reader.GetInt64(7)));
            }
        }

        return ValueTask.FromResult<List<LeasedJobRow>?>(repeated);
    }

    private protected override ValueTask<List<LeasedJobRow>?> LeaseAsync(SqliteWriteConnection transaction, LeaseRequest request, CancellationToken cancellationToken)
    {
        // One statement marks the bot seen and reads what it needs: its instance and assignment.
        string instanceId;
        BotAssignmentState assignment;
        using (var bot = transaction.Statement(
            $"UPDATE bots SET last_seen_at = @now WHERE bot_id = @bot RETURNING instance_id, {AssignmentColumns}",
            ("@now", request.Now),
            ("@bot", request.BotId)).ExecuteReader())
        {
            if (!bot.Read())
            {
                return ValueTask.FromResult<List<LeasedJobRow>?>(null);
            }

            instanceId = bot.GetString(0);
            assignment = ReadAssignment(bot, 1);
        }

        var operations = request.Operations.Where(assignment.Operations.Contains).ToList();
        if (assignment.Paused || operations.Count == 0)
        {
            return ValueTask.FromResult<List<LeasedJobRow>?>([]);
        }

        var parameters = new List<(string, object?)>
        {
            ("@lease", request.LeaseUntil), ("@bot", request.BotId), ("@instance", instanceId), ("@now", request.Now), ("@limit", request.Limit),
        };
        // One ordered, limited pick per operation, merged: each walks ix_jobs_queue in (priority DESC, seq) order and
        // stops at the limit, where one pick over op IN (...) sorted the whole pending queue.
        var picks = new StringBuilder();
        for (var i = 0; i < operations.Count; i++)
        {
            var name = "@op" + i.ToString(CultureInfo.InvariantCulture);
            picks.Append(i == 0 ? string.Empty : " UNION ALL ")
                .Append("SELECT * FROM (SELECT seq, priority FROM jobs WHERE status = 'pending' AND op = ").Append(name)
                .Append(" AND run_after <= @now ORDER BY priority DESC, seq LIMIT @limit)");
            parameters.Add((name, operations[i]));
        }

        var leased = new List<(long Seq, LeasedJobRow Job)>();
        using (var reader = transaction.Statement(
            $"""
            UPDATE jobs
            SET status = 'leased', attempt = attempt + 1, lease_until = @lease, lease_bot_id = @bot,
                lease_instance_id = @instance, lease_started_at = @now, updated_at = @now
            WHERE seq IN (
                SELECT seq FROM ({picks})
                ORDER BY priority DESC, seq
                LIMIT @limit)
            RETURNING seq, id, op, payload, priority, attempt, created_at, trace_parent
            """,
            [.. parameters]).ExecuteReader())
        {
            while (reader.Read())
            {
                leased.Add((reader.GetInt64(0), LeasedJobRow.Read(reader, 1, request.LeaseUntil)));
            }
        }

        if (leased.Count > 0)
        {
            var counts = new StatusCountDeltas();
            foreach (var (_, job) in leased)
            {
                counts.Move(job.Op, JobStatuses.Pending, JobStatuses.Leased);
            }

            counts.Write(transaction);
            if (request.ClaimId is not null)
            {
                // Remembered, so a repeat of this claim can be answered alike.
                transaction.Execute(
                    "UPDATE bots SET last_claim_id = @claim, last_claim_jobs = @jobs WHERE bot_id = @bot",
                    ("@claim", request.ClaimId),
                    ("@jobs", JsonSerializer.Serialize(leased.Select(c => c.Job.Id), JobApiJson.Options)),
                    ("@bot", request.BotId));
            }
        }

        // RETURNING has no defined order; the bot gets them in claim order.
        leased.Sort((a, b) => a.Job.Priority != b.Job.Priority ? b.Job.Priority.CompareTo(a.Job.Priority) : a.Seq.CompareTo(b.Seq));
        return ValueTask.FromResult<List<LeasedJobRow>?>([.. leased.Select(c => c.Job)]);
    }

    /// <summary>Then reads the earliest lease left (the partial index ix_jobs_lease answers it).</summary>
    private protected override ValueTask<SweptLeases> SweepExpiredAsync(SqliteWriteConnection transaction, long now, CancellationToken cancellationToken)
    {
        EndedJobs? ended = null;
        // The lease's holder and start are read first: the update clears them, and they make the "lost" attempt.
        var expired = new List<(string Id, int Attempt, string BotId, string InstanceId, long Started)>();
        using (var reader = transaction.Statement(
            """
            SELECT id, attempt, lease_bot_id, lease_instance_id, COALESCE(lease_started_at, updated_at) FROM jobs
            WHERE status = 'leased' AND lease_until < @now
            """,
            ("@now", now)).ExecuteReader())
        {
            while (reader.Read())
            {
                expired.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
            }
        }

        if (expired.Count > 0)
        {
            var counts = new StatusCountDeltas();
            using (var returned = transaction.Statement(
                """
                UPDATE jobs
                SET status = CASE WHEN cancel_requested_at IS NOT NULL THEN 'cancelled' WHEN attempt >= max_attempts THEN 'dead' ELSE 'pending' END,
                    error = @error, run_after = @now, lease_until = NULL, lease_bot_id = NULL, lease_instance_id = NULL,
                    lease_started_at = NULL, updated_at = @now
                WHERE status = 'leased' AND lease_until < @now
                RETURNING op, status, id, attempt
                """,
                ("@error", LeaseExpiredError),
                ("@now", now)).ExecuteReader())
            {
                while (returned.Read())
                {
                    var (op, status) = (returned.GetString(0), returned.GetString(1));
                    counts.Move(op, JobStatuses.Leased, status);
                    if (status == JobStatuses.Dead)
                    {
                        (ended ??= new()).Died.Add(new DeadJob(returned.GetString(2), op, returned.GetInt32(3), LeaseExpiredError));
                    }
                    else if (status == JobStatuses.Cancelled)
                    {
                        (ended ??= new()).Cancelled.Add((returned.GetString(2), op));
                    }
                }
            }

            counts.Write(transaction);
            var lost = AttemptInsert(transaction, now);
            foreach (var (id, attempt, botId, instanceId, started) in expired)
            {
                SetAttempt(lost, id, attempt, botId, instanceId, started, AttemptOutcomes.Lost, LeaseExpiredError);
                lost.ExecuteNonQuery();
            }
        }

        var earliestLeft = transaction.Scalar("SELECT min(lease_until) FROM jobs WHERE status = 'leased'");
        return ValueTask.FromResult(new SweptLeases(expired.Count, ended, earliestLeft is long until ? until : null));
    }

    /// <summary>One compiled statement, re-run per job.</summary>
    private protected override ValueTask<Dictionary<string, ReportedJob>> ReadReportedJobsAsync(
        SqliteWriteConnection transaction, string[] ids, CancellationToken cancellationToken)
    {
        var jobs = new Dictionary<string, ReportedJob>(ids.Length, StringComparer.Ordinal);
        var read = transaction.Statement($"{ReportedJob.SelectSql} WHERE j.id = @id", ("@id", string.Empty));
        foreach (var id in ids)
        {
            read.Parameters["@id"].Value = id;
            using var reader = read.ExecuteReader();
            if (reader.Read())
            {
                jobs[id] = ReportedJob.Read(reader);
            }
        }

        return ValueTask.FromResult(jobs);
    }

    private protected override ValueTask<IReadOnlySet<(string, string, string)>> ReadEarlierFailuresAsync(
        SqliteWriteConnection transaction, IReadOnlyList<string> jobIds, string botId, CancellationToken cancellationToken)
    {
        var failures = new HashSet<(string, string, string)>();
        var read = transaction.Statement(
            "SELECT instance_id, error FROM job_attempts WHERE job_id = @id AND bot_id = @bot AND outcome = 'failed' AND error IS NOT NULL",
            ("@id", string.Empty),
            ("@bot", botId));
        foreach (var id in jobIds)
        {
            read.Parameters["@id"].Value = id;
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                failures.Add((id, reader.GetString(0), reader.GetString(1)));
            }
        }

        return ValueTask.FromResult<IReadOnlySet<(string, string, string)>>(failures);
    }

    /// <summary>Compiled statements, re-run per changed job; the status counts follow.</summary>
    private protected override ValueTask WriteReportedJobsAsync(SqliteWriteConnection transaction, List<ReportedJob> changed, long now, CancellationToken cancellationToken)
    {
        var job = transaction.Statement(
            """
            UPDATE jobs
            SET status = @status,
                result = CASE WHEN @status = 'completed' THEN @result ELSE result END,
                error = @error,
                run_after = CASE WHEN @status = 'completed' THEN run_after ELSE @runAfter END,
                lease_until = NULL,
                lease_bot_id = CASE WHEN @keep THEN lease_bot_id END,
                lease_instance_id = CASE WHEN @keep THEN lease_instance_id END,
                lease_started_at = CASE WHEN @keep THEN lease_started_at END,
                updated_at = @now
            WHERE id = @id
            """,
            ("@keep", false),
            ("@status", string.Empty),
            ("@result", null),
            ("@error", null),
            ("@runAfter", 0L),
            ("@now", now),
            ("@id", string.Empty));
        var attempt = AttemptInsert(transaction, now);
        var counts = new StatusCountDeltas();
        foreach (var changedJob in changed)
        {
            job.Parameters["@status"].Value = changedJob.Status;
            job.Parameters["@result"].Value = (object?)changedJob.Result ?? DBNull.Value;
            job.Parameters["@error"].Value = (object?)changedJob.Error ?? DBNull.Value;
            job.Parameters["@runAfter"].Value = changedJob.RunAfter;
            job.Parameters["@id"].Value = changedJob.Id;
            job.Parameters["@keep"].Value = changedJob.KeepsAttemptOnRow;
            job.ExecuteNonQuery();
            counts.Move(changedJob.Op, changedJob.StoredStatus, changedJob.Status);
            if (changedJob.KeepsAttemptOnRow)
            {
                continue;
            }

            SetAttempt(
                attempt,
                changedJob.Id,
                changedJob.Attempt,
                changedJob.AttemptBotId!,
                changedJob.AttemptInstanceId!,
                changedJob.AttemptStartedAt ?? now,
                changedJob.AttemptOutcome!,
                changedJob.AttemptError);
            attempt.ExecuteNonQuery();
        }

        counts.Write(transaction);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The one write of an attempt, when it ends; bind it with <see cref="SetAttempt"/> per row. A late report of a
    /// lease the sweep already ended overwrites the "lost" row's outcome, keeping its start.
    /// </summary>
    private static SqliteCommand AttemptInsert(SqliteWriteConnection transaction, long now) =>
        transaction.Statement(
            """
            INSERT INTO job_attempts (job_id, attempt, bot_id, instance_id, started, ended, outcome, error)
            VALUES (@job, @attempt, @bot, @instance, @started, @now, @outcome, @error)
            ON CONFLICT (job_id, attempt) DO UPDATE SET ended = excluded.ended, outcome = excluded.outcome, error = excluded.error
            """,
            ("@job", string.Empty),
            ("@attempt", 0),
            ("@bot", string.Empty),
            ("@instance", string.Empty),
            ("@started", 0L),
            ("@now", now),
            ("@outcome", string.Empty),
            ("@error", null));

    private static void SetAttempt(SqliteCommand insert, string jobId, int attempt, string botId, string instanceId, long started, string outcome, string? error)
    {
        insert.Parameters["@job"].Value = jobId;
        insert.Parameters["@attempt"].Value = attempt;
        insert.Parameters["@bot"].Value = botId;
        insert.Parameters["@instance"].Value = instanceId;
        insert.Parameters["@started"].Value = started;
        insert.Parameters["@outcome"].Value = outcome;
        insert.Parameters["@error"].Value = (object?)error ?? DBNull.Value;
    }
}
