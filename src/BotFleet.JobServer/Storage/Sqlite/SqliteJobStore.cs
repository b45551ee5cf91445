using System.Globalization;
using System.Text;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using BotFleet.JobServer.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

/// <summary>
/// <see cref="IJobStore"/> on one SQLite file. WAL lets readers run beside the writer;
/// writes go through one semaphore and one kept-open connection (<see cref="SqliteWriteConnection"/>), so a
/// transaction never waits on SQLite's file lock and a claim can never interleave with another claim.
/// </summary>
public sealed partial class SqliteJobStore : IJobStore, IDisposable
{
    private const string LeaseExpiredError = "lease expired";

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly LeaseExpiryWatch _leaseExpiry = new();
    private readonly string _connectionString;
    private readonly JobServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteJobStore> _logger;
    private readonly Lazy<Task> _initialization;
    private readonly IJobArrivalSignal? _arrivals;
    private readonly JobEvents? _events;

    /// <summary>Opened by the first write; replaced after a write that failed. Touch only under <see cref="_writeLock"/>.</summary>
    private SqliteWriteConnection? _writeConnection;

    /// <param name="arrivals">Woken after a commit that made jobs claimable (long-poll claims); none in store-only use.</param>
    /// <param name="events">Told, after the commit, of jobs that went dead and of dead jobs requeued or discarded.</param>
    public SqliteJobStore(
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        ILogger<SqliteJobStore> logger,
        IJobArrivalSignal? arrivals = null,
        JobEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _arrivals = arrivals;
        _events = events;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(_options.DatabasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _initialization = new Lazy<Task>(() => CreateSchemaAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _initialization.Value.WaitAsync(cancellationToken);

    public Task<BotRegistrationResult> RegisterBotAsync(BotRegistration registration, CancellationToken cancellationToken) =>
        WriteAsync((write, now) =>
        {
            var capabilities = JsonSerializer.Serialize(registration.Capabilities, JobApiJson.Options);
            var existing = (string?)write.Scalar("SELECT bot_id FROM bots WHERE bot_key = @key", ("@key", registration.BotKey));
            var botId = existing ?? Ids.NewBotId();
            var sql = existing is null
                ? """
                  INSERT INTO bots (bot_id, bot_key, instance_id, version, capabilities, max_concurrency, paused, token_hash,
                                    refresh_token_hash, token_expires_at, resources, meta, registered_at, last_seen_at)
                  VALUES (@bot, @key, @instance, @version, @capabilities, @concurrency, 0, @token,
                          @refresh, @expires, @resources, @meta, @now, @now)
                  """
                : """
                  UPDATE bots SET instance_id = @instance, version = @version, capabilities = @capabilities,
                                  max_concurrency = @concurrency, token_hash = @token, refresh_token_hash = @refresh,
                                  token_expires_at = @expires, resources = @resources, meta = @meta, last_seen_at = @now
                  WHERE bot_id = @bot
                  """;
            write.Execute(
                sql,
                ("@bot", botId),
                ("@key", registration.BotKey),
                ("@instance", registration.InstanceId),
                ("@version", registration.Version),
                ("@capabilities", capabilities),
                ("@concurrency", registration.MaxConcurrency),
                ("@token", registration.AccessTokenHash),
                ("@refresh", registration.RefreshTokenHash),
                ("@expires", registration.TokenExpiresAt.ToUnixTimeMilliseconds()),
                ("@resources", registration.ResourcesJson),
                ("@meta", registration.MetaJson),
                ("@now", now));
            // The answer carries the assignment, so the bot has heard the current version.
            var assignment = ReadAssignment(write, botId)!;
            MarkAssignmentDelivered(write, botId);
            return new BotRegistrationResult(botId, existing is null, assignment);
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, BotCredentials>> GetBotCredentialsAsync(IReadOnlyCollection<string> botIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(botIds);
        await InitializeAsync(cancellationToken);
        var found = new Dictionary<string, BotCredentials>(botIds.Count, StringComparer.Ordinal);
        if (botIds.Count == 0)
        {
            return found;
        }

        // One primary-key lookup per bot, the statement compiled once and reused on one connection: SQLite's cheapest read.
        using var connection = OpenConnection();
        using var readCommand = Command(connection, null, "SELECT token_hash, token_expires_at FROM bots WHERE bot_id = @bot", ("@bot", string.Empty));
        foreach (var botId in botIds)
        {
            readCommand.Parameters["@bot"].Value = botId;
            using var reader = readCommand.ExecuteReader();
            if (reader.Read())
            {
                found[botId] = new BotCredentials(botId, reader.GetString(0), FromUnixMs(reader.IsDBNull(1) ? 0 : reader.GetInt64(1)));
            }
        }

        return found;
    }

    public Task<BotAssignmentState?> UpdateAssignmentAsync(string botId, AssignmentUpdate update, CancellationToken cancellationToken) =>
        WriteAsync((write, now) =>
        {
            var changed = write.Execute(
                """
                UPDATE bots SET assigned_operations = COALESCE(@operations, assigned_operations),
                                assigned_max_concurrency = COALESCE(@concurrency, assigned_max_concurrency),
                                paused = COALESCE(@paused, paused),
                                assignment_version = assignment_version + 1
                WHERE bot_id = @bot
                """,
                ("@bot", botId),
                ("@operations", update.Operations is null ? null : JsonSerializer.Serialize(update.Operations, JobApiJson.Options)),
                ("@concurrency", update.MaxConcurrency),
                ("@paused", update.Paused is null ? null : update.Paused.Value ? 1 : 0));
            return changed == 0 ? null : ReadAssignment(write, botId);
        }, cancellationToken);

    public Task<IReadOnlyList<RegisteredBot>> ListBotsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RegisteredBot>>(connection =>
        {
            var bots = new List<RegisteredBot>();
            using var command = Command(
                connection,
                null,
                """
                SELECT b.bot_id, b.bot_key, b.version, b.capabilities, COALESCE(b.assigned_operations, b.capabilities),
                       COALESCE(b.assigned_max_concurrency, b.max_concurrency), b.paused, b.registered_at, b.last_seen_at,
                       COALESCE(l.n, 0), b.outbox_size, b.last_error
                FROM bots b
                LEFT JOIN (SELECT lease_bot_id, count(*) AS n FROM jobs WHERE status = 'leased' GROUP BY lease_bot_id) l ON l.lease_bot_id = b.bot_id
                ORDER BY b.bot_key
                """);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                bots.Add(new RegisteredBot(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    ReadNames(reader, 3),
                    ReadAssignment(reader, 4),
                    FromUnixMs(reader.GetInt64(7)),
                    FromUnixMs(reader.GetInt64(8)),
                    reader.GetInt32(9),
                    BotHealthReport.Read(reader, 10)));
            }

            return bots;
        }, cancellationToken);

    public Task<IReadOnlyList<HeartbeatResult?>> HeartbeatAsync(IReadOnlyList<BotHeartbeat> heartbeats, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<HeartbeatResult?>>((write, now) =>
        {
            var leaseUntil = now + (long)_options.JobLeaseTtl.TotalMilliseconds;
            var leaseExtendedTo = FromUnixMs(leaseUntil);

            // Two statements prepared once and bound per heartbeat: a batch of idle bots costs one row update each.
            var markSeen = write.Statement(
                """
                UPDATE bots SET last_seen_at = @now, outbox_size = @outbox, last_error = @error WHERE bot_id = @bot
                RETURNING assignment_version > delivered_assignment_version
                """,
                ("@now", now),
                ("@bot", string.Empty),
                ("@outbox", null),
                ("@error", null));
            // Progress is written when the heartbeat carries some for the job (@percent not null), for its current
            // attempt; the answer says whether an operator asked to cancel the job.
            var extend = write.Statement(
                """
                UPDATE jobs SET lease_until = @lease, updated_at = @now,
                    progress_percent = COALESCE(@percent, progress_percent),
                    progress_message = CASE WHEN @percent IS NULL THEN progress_message ELSE @message END,
                    progress_attempt = CASE WHEN @percent IS NULL THEN progress_attempt ELSE attempt END
                WHERE id = @id AND status = 'leased' AND lease_bot_id = @bot AND lease_instance_id = @instance
                RETURNING cancel_requested_at IS NOT NULL
                """,
                ("@lease", leaseUntil),
                ("@now", now),
                ("@bot", string.Empty),
                ("@instance", string.Empty),
                ("@id", string.Empty),
                ("@percent", null),
                ("@message", null));

            var results = new HeartbeatResult?[heartbeats.Count];
            for (var i = 0; i < heartbeats.Count; i++)
            {
                var heartbeat = heartbeats[i];
                markSeen.Parameters["@bot"].Value = heartbeat.BotId;
                markSeen.Parameters["@outbox"].Value = (object?)heartbeat.Health?.OutboxSize ?? DBNull.Value;
                markSeen.Parameters["@error"].Value = (object?)heartbeat.Health?.LastError ?? DBNull.Value;
                var pending = markSeen.ExecuteScalar();
                if (pending is null)
                {
                    continue;
                }

                var extended = new List<string>();
                List<string>? cancel = null;
                extend.Parameters["@bot"].Value = heartbeat.BotId;
                extend.Parameters["@instance"].Value = heartbeat.InstanceId;
                foreach (var jobId in heartbeat.RunningJobIds.Distinct(StringComparer.Ordinal))
                {
                    var progress = heartbeat.Progress?.GetValueOrDefault(jobId);
                    extend.Parameters["@id"].Value = jobId;
                    extend.Parameters["@percent"].Value = progress is null ? DBNull.Value : progress.Percent;
                    extend.Parameters["@message"].Value = (object?)progress?.Message ?? DBNull.Value;
                    if (extend.ExecuteScalar() is { } cancelRequested)
                    {
                        extended.Add(jobId);
                        if (Convert.ToInt64(cancelRequested, CultureInfo.InvariantCulture) != 0)
                        {
                            (cancel ??= []).Add(jobId);
                        }
                    }
                }

                BotAssignmentState? changedAssignment = null;
                if (Convert.ToInt64(pending, CultureInfo.InvariantCulture) != 0)
                {
                    changedAssignment = ReadAssignment(write, heartbeat.BotId);
                    MarkAssignmentDelivered(write, heartbeat.BotId);
                }

                results[i] = new HeartbeatResult(leaseExtendedTo, extended, changedAssignment, cancel);
            }

            return results;
        }, cancellationToken);

    public async Task<IReadOnlyList<ClaimedJobRecord>?> ClaimAsync(string botId, IReadOnlyList<string> operations, int limit, string? claimId, CancellationToken cancellationToken)
    {
        EndedJobs? ended = null;
        var jobs = await WriteAsync<IReadOnlyList<ClaimedJobRecord>?>((write, now) =>
        {
            // One statement marks the bot seen and reads what it needs (its instance, assignment and latest claim).
            string instanceId;
            BotAssignmentState assignment;
            string[]? replay = null;
            using (var bot = write.Statement(
                """
                UPDATE bots SET last_seen_at = @now WHERE bot_id = @bot
                RETURNING instance_id, COALESCE(assigned_operations, capabilities), COALESCE(assigned_max_concurrency, max_concurrency), paused,
                    last_claim_id, last_claim_jobs
                """,
                ("@now", now),
                ("@bot", botId)).ExecuteReader())
            {
                if (!bot.Read())
                {
                    return null;
                }

                instanceId = bot.GetString(0);
                assignment = ReadAssignment(bot, 1);
                if (claimId is not null && !bot.IsDBNull(4) && bot.GetString(4) == claimId && !bot.IsDBNull(5))
                {
                    replay = JsonSerializer.Deserialize<string[]>(bot.GetString(5), JobApiJson.Options);
                }
            }

            if (replay is not null)
            {
                // A repeat of the bot's latest claim (its answer was lost): the jobs it leased that the bot still holds.
                return ReplayClaim(write, botId, replay);
            }

            var distinctOps = operations.Distinct(StringComparer.Ordinal).Where(assignment.Operations.Contains).ToList();
            if (assignment.Paused || distinctOps.Count == 0)
            {
                return [];
            }

            if (_leaseExpiry.MayHaveExpired(now))
            {
                // A lease may have run out since the last sweep: return it to pending first, so that the claim below
                // sees a single rule (status = 'pending'). Otherwise the sweep is the LeaseSweeper's job alone.
                (_, ended) = SweepExpired(write, now);
            }

            var leaseUntil = now + (long)_options.JobLeaseTtl.TotalMilliseconds;
            var parameters = new List<(string, object?)>
            {
                ("@lease", leaseUntil), ("@bot", botId), ("@instance", instanceId), ("@now", now), ("@limit", limit),
            };
            // One ordered, limited pick per operation, merged: each walks ix_jobs_queue in (priority DESC, seq)
            // order and stops at the limit, where one pick over op IN (...) sorted the whole pending queue.
            var picks = new StringBuilder();
            for (var i = 0; i < distinctOps.Count; i++)
            {
                var name = "@op" + i.ToString(CultureInfo.InvariantCulture);
                picks.Append(i == 0 ? string.Empty : " UNION ALL ")
                    .Append("SELECT * FROM (SELECT seq, priority FROM jobs WHERE status = 'pending' AND op = ").Append(name)
                    .Append(" AND run_after <= @now ORDER BY priority DESC, seq LIMIT @limit)");
                parameters.Add((name, distinctOps[i]));
            }

            var claimed = new List<(long Seq, LeasedJobRow Job)>();
            using (var reader = write.Statement(
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
                    claimed.Add((reader.GetInt64(0), LeasedJobRow.Read(reader, 1, leaseUntil)));
                }
            }

            if (claimed.Count > 0)
            {
                var counts = new StatusCountDeltas();
                foreach (var (_, job) in claimed)
                {
                    counts.Move(job.Op, JobStatuses.Pending, JobStatuses.Leased);
                }

                counts.Write(write);
                _leaseExpiry.Leased(leaseUntil);
                if (claimId is not null)
                {
                    write.Execute(
                        "UPDATE bots SET last_claim_id = @claim, last_claim_jobs = @jobs WHERE bot_id = @bot",
                        ("@claim", claimId),
                        ("@jobs", JsonSerializer.Serialize(claimed.Select(c => c.Job.Id), JobApiJson.Options)),
                        ("@bot", botId));
                }
            }

            // RETURNING has no defined order; the bot gets them in claim order.
            claimed.Sort((a, b) => a.Job.Priority != b.Job.Priority ? b.Job.Priority.CompareTo(a.Job.Priority) : a.Seq.CompareTo(b.Seq));

            return ToClaimed(write, [.. claimed.Select(c => c.Job)]);
        }, cancellationToken);
        _events?.JobsEnded(ended);
        return jobs;
    }

    private static List<ClaimedJobRecord> ReplayClaim(SqliteWriteConnection write, string botId, string[] jobIds)
    {
        var replayed = new List<LeasedJobRow>();
        var command = write.Statement(
            """
            SELECT id, op, payload, priority, attempt, created_at, trace_parent, lease_until FROM jobs
            WHERE id IN (SELECT value FROM json_each(@ids)) AND status = 'leased' AND lease_bot_id = @bot
            ORDER BY priority DESC, seq
            """,
            ("@ids", JsonSerializer.Serialize(jobIds, JobApiJson.Options)),
            ("@bot", botId));
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                replayed.Add(LeasedJobRow.Read(reader, 0, reader.GetInt64(7)));
            }
        }

        return ToClaimed(write, replayed);
    }

    private static List<ClaimedJobRecord> ToClaimed(SqliteWriteConnection write, List<LeasedJobRow> jobs) =>
        LeasedJobRow.ToClaimed(jobs, LoadAttempts(write.Connection, write.Transaction, LeasedJobRow.Retried(jobs)));

    public async Task<IReadOnlyList<ReportResult>> ReportAsync(IReadOnlyList<JobReportCommand> reports, string botId, CancellationToken cancellationToken)
    {
        List<string>? pendingNow = null;
        EndedJobs? ended = null;
        var results = await WriteAsync<IReadOnlyList<ReportResult>>((write, now) =>
        {
            if (reports.Count == 0)
            {
                return [];
            }

            // The write lock is held: nothing changes these jobs between the read and the write below.
            var jobs = ReadReportedJobs(write, reports);
            var history = ReportBatch.NeedingFailureHistory(reports, botId, jobs);
            var earlierFailures = history.Count == 0
                ? new HashSet<(string, string, string)>()
                : ReadEarlierFailures(write, history, botId);
            var results = ReportBatch.Apply(reports, botId, jobs, earlierFailures, now, _options, Random.Shared.NextDouble);
            var changed = jobs.Values.Where(j => j.Changed).ToList();
            WriteReportedJobs(write, changed, now);
            var counts = new StatusCountDeltas();
            foreach (var job in changed)
            {
                counts.Move(job.Op, job.StoredStatus, job.Status);
            }

            counts.Write(write);
            pendingNow = ReportBatch.PendingNow(changed, now);
            ended = ReportBatch.Ended(changed);
            return results;
        }, cancellationToken);
        _arrivals.NotifyEach(pendingNow);
        _events?.JobsEnded(ended);
        return results;
    }

    public async Task<IReadOnlyList<string>> SubmitAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        var ids = await SubmitInTransactionAsync(jobs, cancellationToken);
        _arrivals.NotifyEach(jobs.Select(j => j.Op).Distinct(StringComparer.Ordinal).ToList());
        return ids;
    }

    private Task<IReadOnlyList<string>> SubmitInTransactionAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<string>>((write, now) =>
        {
            var ids = new List<string>(jobs.Count);
            var counts = new StatusCountDeltas();
            var find = write.Statement("SELECT id FROM jobs WHERE idempotency_key = @key", ("@key", string.Empty));
            var insert = write.Statement(
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

            counts.Write(write);
            return ids;
        }, cancellationToken);

    public Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = @id", ("@id", jobId));
            var rows = ReadJobs(command);
            if (rows.Count == 0)
            {
                return null;
            }

            var attempts = LoadAttempts(connection, null, [jobId]);
            return ToStoredJob(rows[0], attempts);
        }, cancellationToken);

    public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            // The status as a literal, so SQLite can pick the partial index of that status (ix_jobs_pending,
            // ix_jobs_dead, ix_jobs_lease); completed jobs are most rows and come in rowid order.
            var status = query.Status is null ? string.Empty : $" AND status = {StatusLiteral(query.Status)}";
            using var command = Command(
                connection,
                null,
                $"""
                SELECT {JobColumns} FROM jobs
                WHERE seq > @after{status} AND (@op IS NULL OR op = @op)
                ORDER BY seq
                LIMIT @limit
                """,
                ("@op", query.Op),
                ("@after", query.After ?? 0L),
                ("@limit", query.Limit + 1));
            var rows = ReadJobs(command);
            long? next = null;
            if (rows.Count > query.Limit)
            {
                rows.RemoveAt(rows.Count - 1);
                next = rows[^1].Seq;
            }

            var attempts = LoadAttempts(connection, null, rows.Select(r => r.Id).ToList());
            return new JobPage(rows.Select(r => ToStoredJob(r, attempts)).ToList(), next);
        }, cancellationToken);

    public Task<JobStoreStats> GetStatsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            var byOp = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
            using (var readCommand = Command(connection, null, "SELECT op, status, n FROM job_status_counts WHERE n <> 0"))
            using (var reader = readCommand.ExecuteReader())
            {
                while (reader.Read())
                {
                    var counts = byOp.TryGetValue(reader.GetString(0), out var c) ? c : byOp[reader.GetString(0)] = new long[StatusCount];
                    counts[StatusIndex(reader.GetString(1))] += reader.GetInt64(2);
                }
            }

            var activeSince = _timeProvider.GetUtcNow().Subtract(_options.ActiveBotWindow).ToUnixTimeMilliseconds();
            long registered = 0, active = 0;
            using (var readCommand = Command(
                connection,
                null,
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN last_seen_at >= @since THEN 1 ELSE 0 END), 0) FROM bots",
                ("@since", activeSince)))
            using (var reader = readCommand.ExecuteReader())
            {
                if (reader.Read())
                {
                    registered = reader.GetInt64(0);
                    active = reader.GetInt64(1);
                }
            }

            return ToStats(byOp, registered, active);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetOldestPendingAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, DateTimeOffset>>(connection =>
        {
            var oldest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            using var command = Command(connection, null, "SELECT op, min(created_at) FROM jobs WHERE status = 'pending' GROUP BY op");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                oldest[reader.GetString(0)] = FromUnixMs(reader.GetInt64(1));
            }

            return oldest;
        }, cancellationToken);

    public async Task<int> SweepExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var (swept, ended) = await WriteAsync((write, now) => SweepExpired(write, now), cancellationToken);
        if (swept > 0)
        {
            LogLeasesExpired(_logger, swept);
            _arrivals?.NotifyAll();
            _events?.JobsEnded(ended);
        }

        return swept;
    }

    public void Dispose()
    {
        _writeConnection?.Dispose();
        _writeConnection = null;
        _writeLock.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>The assignment in force: the operator's choices where made, the registration's otherwise. Null for an unknown bot.</summary>
    private static BotAssignmentState? ReadAssignment(SqliteWriteConnection write, string botId)
    {
        using var reader = write.Statement(
            """
            SELECT COALESCE(assigned_operations, capabilities), COALESCE(assigned_max_concurrency, max_concurrency), paused
            FROM bots WHERE bot_id = @bot
            """,
            ("@bot", botId)).ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return ReadAssignment(reader, 0);
    }

    /// <summary>
    /// The assignment in the columns from <paramref name="first"/> on: COALESCE(assigned_operations, capabilities),
    /// COALESCE(assigned_max_concurrency, max_concurrency), paused.
    /// </summary>
    private static BotAssignmentState ReadAssignment(SqliteDataReader reader, int first) =>
        new(ReadNames(reader, first), reader.GetInt32(first + 1), reader.GetInt64(first + 2) != 0);

    /// <summary>A JSON array of names kept as text (capabilities, operations).</summary>
    private static string[] ReadNames(SqliteDataReader reader, int column) =>
        JsonSerializer.Deserialize<string[]>(reader.GetString(column), JobApiJson.Options) ?? [];

    private static void MarkAssignmentDelivered(SqliteWriteConnection write, string botId) =>
        write.Execute("UPDATE bots SET delivered_assignment_version = assignment_version WHERE bot_id = @bot", ("@bot", botId));
}
