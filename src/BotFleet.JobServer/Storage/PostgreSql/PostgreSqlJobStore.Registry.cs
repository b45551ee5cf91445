using Npgsql;
using NpgsqlTypes;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

// Bots: registration, credentials, assignments, heartbeats.
internal sealed partial class PostgreSqlJobStore
{
    private protected override async ValueTask<BotRegistrationResult> WriteRegistrationAsync(
        NpgsqlTransaction transaction, BotRegistration registration, string newBotId, long now, CancellationToken cancellationToken)
    {
        // One statement for both cases; "created" is true only when our freshly generated bot_id went in. The answer
        // carries the assignment, so the bot has heard the current version.
        await using var command = Command(
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
        Add(command, "bot", newBotId);
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
    }

    private protected override async ValueTask<IReadOnlyDictionary<string, BotCredentials>> ReadCredentialsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> botIds, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT bot_id, token_hash, token_expires_at FROM bots WHERE bot_id = ANY(@bots)");
        Add(command, "bots", botIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<string, BotCredentials>(botIds.Count, StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var botId = reader.GetString(0);
            found[botId] = new BotCredentials(botId, reader.GetString(1), FromUnixMs(reader.GetInt64(2)));
        }

        return found;
    }

    private protected override async ValueTask<BotAssignmentState?> WriteAssignmentAsync(
        NpgsqlTransaction transaction, string botId, AssignmentUpdate update, CancellationToken cancellationToken)
    {
        await using var command = Command(
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
    }

    private protected override async ValueTask<Dictionary<string, BotAssignmentState?>> MarkBotsSeenAsync(
        NpgsqlTransaction transaction, IReadOnlyDictionary<string, BotHealthReport?> health, long now, CancellationToken cancellationToken)
    {
        // One statement marks every bot seen and its assignment delivered; the locked old rows tell whether there was
        // anything to deliver. Rows are locked in bot_id order so two batches never deadlock on each other.
        var botIds = health.Keys.ToArray();
        var assignments = new Dictionary<string, BotAssignmentState?>(botIds.Length, StringComparer.Ordinal);
        await using var command = Command(
            transaction,
            $"""
            WITH old AS (SELECT bot_id, delivered_assignment_version FROM bots WHERE bot_id = ANY(@bots) ORDER BY bot_id FOR UPDATE),
                 health AS (SELECT * FROM unnest(@bots, @outboxes, @errors) AS h(bot_id, outbox_size, last_error))
            UPDATE bots b SET last_seen_at = @now, delivered_assignment_version = b.assignment_version,
                              outbox_size = health.outbox_size, last_error = health.last_error
            FROM old JOIN health ON health.bot_id = old.bot_id
            WHERE b.bot_id = old.bot_id
            RETURNING b.bot_id, b.assignment_version > old.delivered_assignment_version,
                      COALESCE(b.assigned_operations, b.capabilities), COALESCE(b.assigned_max_concurrency, b.max_concurrency), b.paused
            """);
        Add(command, "bots", botIds);
        Add(command, "now", now);
        AddNullable(command, "outboxes", NpgsqlDbType.Array | NpgsqlDbType.Integer, botIds.Select(id => health[id]?.OutboxSize).ToArray());
        AddNullable(command, "errors", NpgsqlDbType.Array | NpgsqlDbType.Text, botIds.Select(id => health[id]?.LastError).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            assignments[reader.GetString(0)] = reader.GetBoolean(1) ? ReadAssignment(reader, 2) : null;
        }

        return assignments;
    }

    private protected override async ValueTask<Dictionary<(string JobId, string BotId, string InstanceId), bool>> ExtendLeasesAsync(
        NpgsqlTransaction transaction, IReadOnlyList<BotHeartbeat> heartbeats, long leaseUntil, long now, CancellationToken cancellationToken)
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
}
