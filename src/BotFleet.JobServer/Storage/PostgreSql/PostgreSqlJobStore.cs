using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using BotFleet.JobServer.Telemetry;
using Npgsql;
using NpgsqlTypes;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

/// <summary>
/// <see cref="IJobStore"/> on PostgreSQL, for several job servers sharing one database. Every operation is one
/// READ COMMITTED transaction; claims and lease rescue lock rows with FOR UPDATE SKIP LOCKED, so claimers never
/// wait on each other and never lease a job twice. "Now" comes from the TimeProvider and is passed as a parameter
/// (never NOW() in SQL), so tests can move time.
/// </summary>
public sealed partial class PostgreSqlJobStore : IJobStore, IAsyncDisposable, IDisposable
{
    private const string LeaseExpiredError = "lease expired";

    private readonly NpgsqlDataSource _dataSource;
    private readonly JobServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PostgreSqlJobStore> _logger;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private readonly LeaseExpiryWatch _leaseExpiry = new();
    private readonly IJobArrivalSignal? _arrivals;
    private readonly JobEvents? _events;
    private volatile bool _initialized;

    /// <param name="arrivals">
    /// Woken after a commit that made jobs claimable (long-poll claims in this process); other servers hear it by the
    /// NOTIFY on <see cref="PostgreSqlJobArrivalListener.Channel"/> sent in that transaction. None in store-only use.
    /// </param>
    /// <param name="events">Told, after the commit, of jobs that went dead and of dead jobs requeued or discarded.</param>
    public PostgreSqlJobStore(
        IOptions<JobServerOptions> options,
        TimeProvider timeProvider,
        ILogger<PostgreSqlJobStore> logger,
        IJobArrivalSignal? arrivals = null,
        JobEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _arrivals = arrivals;
        _events = events;
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.PostgreSqlConnectionString))
        {
            throw new InvalidOperationException("JobServer:PostgreSqlConnectionString must be set when JobServer:Store is PostgreSql.");
        }

        _timeProvider = timeProvider;
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(PostgreSqlJobStoreConnectionString.From(_options.PostgreSqlConnectionString));
    }

    /// <summary>
    /// Applies missing migrations under a transaction-scoped advisory lock. A failure is not remembered: the next
    /// call tries again, so a database that comes up late does not wedge the server.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await MigrateAsync(cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    public Task<BotRegistrationResult> RegisterBotAsync(BotRegistration registration, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction, now) =>
        {
            // One statement for both cases; "created" is true only when our freshly generated bot_id went in. The
            // answer carries the assignment, so the bot has heard the current version.
            await using var command = Command(
                connection,
                transaction,
                $"""
                INSERT INTO bots AS b (bot_id, bot_key, instance_id, version, capabilities, max_concurrency, paused, token_hash,
                                       refresh_token_hash, token_expires_at, resources, meta, registered_at, last_seen_at)
                VALUES (@bot, @key, @instance, @version, @capabilities, @concurrency, false, @token,
                        @refresh, @expires, @resources, @meta, @now, @now)
                ON CONFLICT (bot_key) DO UPDATE
                SET instance_id = EXCLUDED.instance_id, version = EXCLUDED.version, capabilities = EXCLUDED.capabilities,
                    max_concurrency = EXCLUDED.max_concurrency, token_hash = EXCLUDED.token_hash,
                    refresh_token_hash = EXCLUDED.refresh_token_hash, token_expires_at = EXCLUDED.token_expires_at,
                    resources = EXCLUDED.resources, meta = EXCLUDED.meta, last_seen_at = EXCLUDED.last_seen_at,
                    delivered_assignment_version = b.assignment_version
                RETURNING bot_id, bot_id = @bot, {AssignmentColumns}
                """);
            Add(command, "bot", Ids.NewBotId());
            Add(command, "key", registration.BotKey);
            Add(command, "instance", registration.InstanceId);
            Add(command, "version", registration.Version);
            Add(command, "capabilities", registration.Capabilities.ToArray());
            Add(command, "concurrency", registration.MaxConcurrency);
            Add(command, "token", registration.AccessTokenHash);
            Add(command, "refresh", registration.RefreshTokenHash);
            Add(command, "expires", registration.TokenExpiresAt.ToUnixTimeMilliseconds());
            AddNullable(command, "resources", NpgsqlDbType.Text, registration.ResourcesJson);
            AddNullable(command, "meta", NpgsqlDbType.Text, registration.MetaJson);
            Add(command, "now", now);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new BotRegistrationResult(reader.GetString(0), reader.GetBoolean(1), ReadAssignment(reader, 2));
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, BotCredentials>> GetBotCredentialsAsync(IReadOnlyCollection<string> botIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(botIds);
        if (botIds.Count == 0)
        {
            return new Dictionary<string, BotCredentials>(StringComparer.Ordinal);
        }

        return await ReadAsync<IReadOnlyDictionary<string, BotCredentials>>(async connection =>
        {
            await using var command = Command(connection, null, "SELECT bot_id, token_hash, token_expires_at FROM bots WHERE bot_id = ANY(@bots)");
            Add(command, "bots", botIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var found = new Dictionary<string, BotCredentials>(botIds.Count, StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var botId = reader.GetString(0);
                found[botId] = new BotCredentials(botId, reader.GetString(1), FromUnixMs(reader.GetInt64(2)));
            }

            return found;
        }, cancellationToken);
    }

    public Task<BotAssignmentState?> UpdateAssignmentAsync(string botId, AssignmentUpdate update, CancellationToken cancellationToken) =>
        InTransactionAsync<BotAssignmentState?>(async (connection, transaction, now) =>
        {
            await using var command = Command(
                connection,
                transaction,
                $"""
                UPDATE bots SET assigned_operations = COALESCE(@operations, assigned_operations),
                                assigned_max_concurrency = COALESCE(@concurrency, assigned_max_concurrency),
                                paused = COALESCE(@paused, paused),
                                assignment_version = assignment_version + 1
                WHERE bot_id = @bot
                RETURNING {AssignmentColumns}
                """);
            Add(command, "bot", botId);
            AddNullable(command, "operations", NpgsqlDbType.Array | NpgsqlDbType.Text, update.Operations?.ToArray());
            AddNullable(command, "concurrency", NpgsqlDbType.Integer, update.MaxConcurrency);
            AddNullable(command, "paused", NpgsqlDbType.Boolean, update.Paused);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadAssignment(reader, 0) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<RegisteredBot>> ListBotsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RegisteredBot>>(async connection =>
        {
            var bots = new List<RegisteredBot>();
            await using var command = Command(
                connection,
                null,
                $"""
                SELECT b.bot_id, b.bot_key, b.version, b.capabilities, {AssignmentColumns}, b.registered_at, b.last_seen_at,
                       COALESCE(l.n, 0)::integer, b.outbox_size, b.last_error
                FROM bots b
                LEFT JOIN (SELECT lease_bot_id, count(*) AS n FROM jobs WHERE status = 'leased' GROUP BY lease_bot_id) l ON l.lease_bot_id = b.bot_id
                ORDER BY b.bot_key
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                bots.Add(new RegisteredBot(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetFieldValue<string[]>(3),
                    ReadAssignment(reader, 4),
                    FromUnixMs(reader.GetInt64(7)),
                    FromUnixMs(reader.GetInt64(8)),
                    reader.GetInt32(9),
                    BotHealthReport.Read(reader, 10)));
            }

            return bots;
        }, cancellationToken);

    public Task<IReadOnlyList<HeartbeatResult?>> HeartbeatAsync(IReadOnlyList<BotHeartbeat> heartbeats, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<HeartbeatResult?>>(async (connection, transaction, now) =>
        {
            // One statement marks every bot seen and its assignment delivered; the locked old rows tell whether there
            // was anything to deliver. Rows are locked in bot_id order so two batches never deadlock on each other.
            // A bot's health is what the last of its heartbeats in the batch says.
            var health = new Dictionary<string, BotHealthReport?>(heartbeats.Count, StringComparer.Ordinal);
            foreach (var heartbeat in heartbeats)
            {
                health[heartbeat.BotId] = heartbeat.Health;
            }

            var botIds = health.Keys.ToArray();
            var assignments = new Dictionary<string, BotAssignmentState?>(botIds.Length, StringComparer.Ordinal);
            await using (var command = Command(
                connection,
                transaction,
                """
                WITH old AS (SELECT bot_id, delivered_assignment_version FROM bots WHERE bot_id = ANY(@bots) ORDER BY bot_id FOR UPDATE),
                     health AS (SELECT * FROM unnest(@bots, @outboxes, @errors) AS h(bot_id, outbox_size, last_error))
                UPDATE bots b SET last_seen_at = @now, delivered_assignment_version = b.assignment_version,
                                  outbox_size = health.outbox_size, last_error = health.last_error
                FROM old JOIN health ON health.bot_id = old.bot_id
                WHERE b.bot_id = old.bot_id
                RETURNING b.bot_id, b.assignment_version > old.delivered_assignment_version,
                          COALESCE(b.assigned_operations, b.capabilities), COALESCE(b.assigned_max_concurrency, b.max_concurrency), b.paused
                """))
            {
                Add(command, "bots", botIds);
                Add(command, "now", now);
                command.Parameters.Add(new NpgsqlParameter("outboxes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = botIds.Select(id => health[id]?.OutboxSize).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = botIds.Select(id => health[id]?.LastError).ToArray() });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    assignments[reader.GetString(0)] = reader.GetBoolean(1) ? ReadAssignment(reader, 2) : null;
                }
            }

            var leaseUntil = now + (long)_options.JobLeaseTtl.TotalMilliseconds;
            var extended = await ExtendHeldLeasesAsync(connection, transaction, heartbeats, leaseUntil, now, cancellationToken);

            var leaseExtendedTo = FromUnixMs(leaseUntil);
            var delivered = new HashSet<string>(StringComparer.Ordinal);
            var results = new HeartbeatResult?[heartbeats.Count];
            for (var i = 0; i < heartbeats.Count; i++)
            {
                var heartbeat = heartbeats[i];
                if (!assignments.TryGetValue(heartbeat.BotId, out var assignment))
                {
                    continue;
                }

                // RETURNING has no defined order; answer in the bot's order.
                var leases = new List<string>();
                List<string>? cancel = null;
                foreach (var id in heartbeat.RunningJobIds.Distinct(StringComparer.Ordinal))
                {
                    if (extended.TryGetValue((id, heartbeat.BotId, heartbeat.InstanceId), out var cancelRequested))
                    {
                        leases.Add(id);
                        if (cancelRequested)
                        {
                            (cancel ??= []).Add(id);
                        }
                    }
                }

                results[i] = new HeartbeatResult(leaseExtendedTo, leases, delivered.Add(heartbeat.BotId) ? assignment : null, cancel);
            }

            return results;
        }, cancellationToken);

    /// <summary>
    /// Extends, in one statement, every lease a heartbeat's bot still holds with that instance, storing the progress
    /// sent for a job on its current attempt; answers the (job, bot, instance) extended, each with whether an operator
    /// asked to cancel the job.
    /// </summary>
    private static async Task<Dictionary<(string JobId, string BotId, string InstanceId), bool>> ExtendHeldLeasesAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<BotHeartbeat> heartbeats,
        long leaseUntil,
        long now,
        CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var bots = new List<string>();
        var instances = new List<string>();
        var percents = new List<double?>();
        var messages = new List<string?>();
        foreach (var heartbeat in heartbeats)
        {
            // Repeats are left to the statement's DISTINCT ON.
            foreach (var jobId in heartbeat.RunningJobIds)
            {
                var progress = heartbeat.Progress?.GetValueOrDefault(jobId);
                ids.Add(jobId);
                bots.Add(heartbeat.BotId);
                instances.Add(heartbeat.InstanceId);
                percents.Add(progress?.Percent);
                messages.Add(progress?.Message);
            }
        }

        var extended = new Dictionary<(string, string, string), bool>();
        if (ids.Count == 0)
        {
            return extended;
        }

        await using var command = Command(
            connection,
            transaction,
            """
            UPDATE jobs j SET lease_until = @lease, updated_at = @now,
                progress_percent = COALESCE(r.percent, j.progress_percent),
                progress_message = CASE WHEN r.percent IS NULL THEN j.progress_message ELSE r.message END,
                progress_attempt = CASE WHEN r.percent IS NULL THEN j.progress_attempt ELSE j.attempt END
            FROM (
                SELECT DISTINCT ON (id, bot, instance) id, bot, instance, percent, message
                FROM unnest(@ids, @bots, @instances, @percents, @messages) AS u(id, bot, instance, percent, message)
            ) AS r
            WHERE j.id = r.id AND j.status = 'leased' AND j.lease_bot_id = r.bot AND j.lease_instance_id = r.instance
            RETURNING j.id, r.bot, r.instance, j.cancel_requested_at IS NOT NULL
            """);
        Add(command, "lease", leaseUntil);
        Add(command, "now", now);
        Add(command, "ids", ids.ToArray());
        Add(command, "bots", bots.ToArray());
        Add(command, "instances", instances.ToArray());
        Add(command, "percents", percents.ToArray());
        Add(command, "messages", messages.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            extended[(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = reader.GetBoolean(3);
        }

        return extended;
    }

    public async Task<IReadOnlyList<ClaimedJobRecord>?> ClaimAsync(string botId, IReadOnlyList<string> operations, int limit, string? claimId, CancellationToken cancellationToken)
    {
        EndedJobs? ended = null;
        var jobs = await InTransactionAsync<IReadOnlyList<ClaimedJobRecord>?>(async (connection, transaction, now) =>
        {
            if (claimId is not null && await ReplayClaimAsync(connection, transaction, botId, claimId, now, cancellationToken) is { } replayed)
            {
                return replayed;
            }

            var ops = operations.Distinct(StringComparer.Ordinal).ToArray();
            if (_leaseExpiry.MayHaveExpired(now))
            {
                // A lease may have run out since the last sweep: return it to pending first, so that the claim below
                // sees a single rule (status = 'pending'). Otherwise the sweep is the LeaseSweeper's job alone.
                (_, ended) = await SweepExpiredAsync(connection, transaction, now, cancellationToken);
            }

            // One statement: read the bot's assignment (locking its row), pick and lock the best runnable jobs it
            // allows (skipping rows other claimers hold), lease them, and mark the bot seen, remembering the claim
            // under its claim_id. LIMIT counts only rows actually locked, so a busy queue never looks empty. No row
            // at all means an unknown bot; one row without a job, that nothing was claimed.
            var leaseUntil = now + (long)_options.JobLeaseTtl.TotalMilliseconds;
            var claimed = new List<LeasedJobRow>();
            var known = false;
            // The planner setting goes first in the same round trip; the reader skips its empty result.
            await using (var command = Command(
                connection,
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
                Add(command, "ops", ops);
                Add(command, "now", now);
                Add(command, "limit", limit);
                Add(command, "lease", leaseUntil);
                Add(command, "bot", botId);
                AddNullable(command, "claim", NpgsqlDbType.Text, claimId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    known = true;
                    if (!reader.IsDBNull(0))
                    {
                        claimed.Add(LeasedJobRow.Read(reader, 0, leaseUntil));
                    }
                }
            }

            if (!known)
            {
                return null;
            }

            if (claimed.Count > 0)
            {
                _leaseExpiry.Leased(leaseUntil);
            }

            return await ToClaimedAsync(connection, transaction, claimed, cancellationToken);
        }, cancellationToken);
        _events?.JobsEnded(ended);
        return jobs;
    }

    /// <summary>
    /// The jobs of the bot's latest claim still leased to it, when <paramref name="claimId"/> is that claim's id; else
    /// null. Locks the bot's row first, so a repeat that arrives while the first claim still runs waits for it and
    /// sees what it leased.
    /// </summary>
    private static async Task<IReadOnlyList<ClaimedJobRecord>?> ReplayClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string botId, string claimId, long now, CancellationToken cancellationToken)
    {
        string[]? jobIds;
        await using (var command = Command(connection, transaction, "SELECT last_claim_id, last_claim_jobs FROM bots WHERE bot_id = @bot FOR UPDATE"))
        {
            Add(command, "bot", botId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0) || reader.GetString(0) != claimId || reader.IsDBNull(1))
            {
                return null;
            }

            jobIds = reader.GetFieldValue<string[]>(1);
        }

        var replayed = new List<LeasedJobRow>();
        await using (var command = Command(
            connection,
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
                replayed.Add(LeasedJobRow.Read(reader, 0, reader.GetInt64(7)));
            }
        }

        return await ToClaimedAsync(connection, transaction, replayed, cancellationToken);
    }

    private static async Task<IReadOnlyList<ClaimedJobRecord>> ToClaimedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<LeasedJobRow> jobs, CancellationToken cancellationToken) =>
        LeasedJobRow.ToClaimed(jobs, await LoadAttemptsAsync(connection, transaction, [.. LeasedJobRow.Retried(jobs)], cancellationToken));

    public async Task<IReadOnlyList<ReportResult>> ReportAsync(IReadOnlyList<JobReportCommand> reports, string botId, CancellationToken cancellationToken)
    {
        List<string>? pendingNow = null;
        EndedJobs? ended = null;
        var results = await InTransactionAsync<IReadOnlyList<ReportResult>>(async (connection, transaction, now) =>
        {
            if (reports.Count == 0)
            {
                return [];
            }

            // Ordered ids: every reporter locks in the same order, so two batches over the same jobs never deadlock.
            var ids = reports.Select(r => r.JobId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var jobs = await ReadReportedJobsAsync(connection, transaction, ids, cancellationToken);
            var history = ReportBatch.NeedingFailureHistory(reports, botId, jobs);
            var earlierFailures = history.Count == 0
                ? (IReadOnlySet<(string, string, string)>)new HashSet<(string, string, string)>()
                : await ReadEarlierFailuresAsync(connection, transaction, history.ToArray(), botId, cancellationToken);
            var results = ReportBatch.Apply(reports, botId, jobs, earlierFailures, now, _options, Random.Shared.NextDouble);
            var changed = jobs.Values.Where(j => j.Changed).OrderBy(j => j.Id, StringComparer.Ordinal).ToList();
            if (changed.Count > 0)
            {
                await WriteReportedJobsAsync(connection, transaction, changed, now, cancellationToken);
                pendingNow = ReportBatch.PendingNow(changed, now);
                ended = ReportBatch.Ended(changed);
                if (pendingNow is not null)
                {
                    await NotifyArrivalsAsync(connection, transaction, pendingNow.ToArray(), cancellationToken);
                }
            }

            return results;
        }, cancellationToken);
        _arrivals.NotifyEach(pendingNow);
        _events?.JobsEnded(ended);
        return results;
    }

    public async Task<IReadOnlyList<string>> SubmitAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        var operations = jobs.Select(j => j.Op).Distinct(StringComparer.Ordinal).ToList();
        var ids = await SubmitInTransactionAsync(jobs, operations, cancellationToken);
        _arrivals.NotifyEach(operations);
        return ids;
    }

    private Task<IReadOnlyList<string>> SubmitInTransactionAsync(IReadOnlyList<NewJob> jobs, List<string> operations, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<string>>(async (connection, transaction, now) =>
        {
            if (jobs.Count == 0)
            {
                return [];
            }

            // Delivered to the listeners of every server when this transaction commits, not before.
            await NotifyArrivalsAsync(connection, transaction, operations.ToArray(), cancellationToken);

            var ids = new string[jobs.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = Ids.NewJobId(now);
            }

            // One multi-row insert from arrays, in input order (seq is the age). A known key, whether committed
            // earlier, by a concurrent submitter (the insert waits for it), or earlier in this batch, inserts nothing.
            await using (var command = Command(
                connection,
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
                command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.IdempotencyKey).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("traces", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.TraceParent).ToArray() });
                Add(command, "now", now);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var keys = jobs.Where(j => j.IdempotencyKey is not null).Select(j => j.IdempotencyKey!).Distinct(StringComparer.Ordinal).ToArray();
            if (keys.Length > 0)
            {
                // A new statement sees what concurrent submitters committed while the insert waited for them.
                var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
                await using var command = Command(connection, transaction, "SELECT idempotency_key, id FROM jobs WHERE idempotency_key = ANY(@keys)");
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
        }, cancellationToken);

    public Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            List<JobRow> rows;
            await using (var command = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = @id"))
            {
                Add(command, "id", jobId);
                rows = await ReadJobsAsync(command, cancellationToken);
            }

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
            List<JobRow> rows;
            await using (var command = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE {where} ORDER BY seq LIMIT @limit"))
            {
                Add(command, "after", query.After ?? 0L);
                Add(command, "limit", query.Limit + 1);
                if (query.Op is not null)
                {
                    Add(command, "op", query.Op);
                }

                rows = await ReadJobsAsync(command, cancellationToken);
            }

            long? next = null;
            if (rows.Count > query.Limit)
            {
                rows.RemoveAt(rows.Count - 1);
                next = rows[^1].Seq;
            }

            var attempts = await LoadAttemptsAsync(connection, null, rows.Select(r => r.Id).ToArray(), cancellationToken);
            return new JobPage(rows.Select(r => ToStoredJob(r, attempts)).ToList(), next);
        }, cancellationToken);

    public Task<JobStoreStats> GetStatsAsync(CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            var byOp = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
            await using (var command = Command(connection, null, StatusCountsSql))
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
            await using (var command = Command(connection, null, "SELECT count(*), count(*) FILTER (WHERE last_seen_at >= @since) FROM bots"))
            {
                Add(command, "since", _timeProvider.GetUtcNow().Subtract(_options.ActiveBotWindow).ToUnixTimeMilliseconds());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
            await using var command = Command(connection, null, "SELECT op, min(created_at) FROM jobs WHERE status = 'pending' GROUP BY op");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                oldest[reader.GetString(0)] = FromUnixMs(reader.GetInt64(1));
            }

            return oldest;
        }, cancellationToken);

    /// <summary>
    /// Folds the change rows the jobs triggers appended to job_status_counts into one row per (op, status), so stats
    /// stay a read of a few rows. Safe beside writers and beside other servers folding at the same moment: each
    /// transaction removes only committed rows it sees and puts back their sum.
    /// </summary>
    public Task FoldStatusCountsAsync(CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction, _) =>
            {
                await using var command = Command(connection, transaction, FoldStatusCountsSql);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public async Task<int> SweepExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var (swept, ended) = await InTransactionAsync(
            async (connection, transaction, now) =>
            {
                var swept = await SweepExpiredAsync(connection, transaction, now, cancellationToken);
                if (swept.Count > 0)
                {
                    await NotifyArrivalsAsync(connection, transaction, [PostgreSqlJobArrivalListener.AllOperations], cancellationToken);
                }

                return swept;
            },
            cancellationToken);
        if (swept > 0)
        {
            LogLeasesExpired(_logger, swept);
            _arrivals?.NotifyAll();
            _events?.JobsEnded(ended);
        }

        return swept;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _initializeLock.Dispose();
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _initializeLock.Dispose();
    }
}
