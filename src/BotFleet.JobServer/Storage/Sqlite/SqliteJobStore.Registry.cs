using System.Globalization;
using System.Text.Json;
using BotFleet.JobApi.Contracts;
using Microsoft.Data.Sqlite;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

// Bots: registration, credentials, assignments, heartbeats.
internal sealed partial class SqliteJobStore
{
    private protected override ValueTask<BotRegistrationResult> WriteRegistrationAsync(
        SqliteWriteConnection transaction, BotRegistration registration, string newBotId, long now, CancellationToken cancellationToken)
    {
        var capabilities = JsonSerializer.Serialize(registration.Capabilities, JobApiJson.Options);
        var existing = (string?)transaction.Scalar("SELECT bot_id FROM bots WHERE bot_key = @key", ("@key", registration.BotKey));
        var botId = existing ?? newBotId;
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
        transaction.Execute(
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
        var assignment = ReadAssignment(transaction, botId)!;
        MarkAssignmentDelivered(transaction, botId);
        return ValueTask.FromResult(new BotRegistrationResult(botId, existing is null, assignment));
    }

    /// <summary>One primary-key lookup per bot, the statement compiled once and reused on one connection: SQLite's cheapest read.</summary>
    private protected override ValueTask<IReadOnlyDictionary<string, BotCredentials>> ReadCredentialsAsync(
        SqliteConnection connection, IReadOnlyCollection<string> botIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, BotCredentials>(botIds.Count, StringComparer.Ordinal);
        using var read = Command(connection, null, "SELECT token_hash, token_expires_at FROM bots WHERE bot_id = @bot", ("@bot", string.Empty));
        foreach (var botId in botIds)
        {
            read.Parameters["@bot"].Value = botId;
            using var reader = read.ExecuteReader();
            if (reader.Read())
            {
                found[botId] = new BotCredentials(botId, reader.GetString(0), FromUnixMs(reader.IsDBNull(1) ? 0 : reader.GetInt64(1)));
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, BotCredentials>>(found);
    }

    private protected override ValueTask<BotAssignmentState?> WriteAssignmentAsync(
        SqliteWriteConnection transaction, string botId, AssignmentUpdate update, CancellationToken cancellationToken)
    {
        var changed = transaction.Execute(
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
        return ValueTask.FromResult(changed == 0 ? null : ReadAssignment(transaction, botId));
    }

    /// <summary>One statement compiled once and bound per bot: a batch of idle bots costs one row update each.</summary>
    private protected override ValueTask<Dictionary<string, BotAssignmentState?>> MarkBotsSeenAsync(
        SqliteWriteConnection transaction, IReadOnlyDictionary<string, BotHealthReport?> health, long now, CancellationToken cancellationToken)
    {
        var assignments = new Dictionary<string, BotAssignmentState?>(health.Count, StringComparer.Ordinal);
        var markSeen = transaction.Statement(
            """
            UPDATE bots SET last_seen_at = @now, outbox_size = @outbox, last_error = @error WHERE bot_id = @bot
            RETURNING assignment_version > delivered_assignment_version
            """,
            ("@now", now),
            ("@bot", string.Empty),
            ("@outbox", null),
            ("@error", null));
        foreach (var (botId, report) in health)
        {
            markSeen.Parameters["@bot"].Value = botId;
            markSeen.Parameters["@outbox"].Value = (object?)report?.OutboxSize ?? DBNull.Value;
            markSeen.Parameters["@error"].Value = (object?)report?.LastError ?? DBNull.Value;
            if (markSeen.ExecuteScalar() is not { } changed)
            {
                continue;
            }

            BotAssignmentState? changedAssignment = null;
            if (Convert.ToInt64(changed, CultureInfo.InvariantCulture) != 0)
            {
                changedAssignment = ReadAssignment(transaction, botId);
                MarkAssignmentDelivered(transaction, botId);
            }

            assignments[botId] = changedAssignment;
        }

        return ValueTask.FromResult(assignments);
    }

    /// <summary>One statement compiled once and bound per job; progress is written when the heartbeat carries some for the job.</summary>
    private protected override ValueTask<Dictionary<(string JobId, string BotId, string InstanceId), bool>> ExtendLeasesAsync(
        SqliteWriteConnection transaction, IReadOnlyList<BotHeartbeat> heartbeats, long leaseUntil, long now, CancellationToken cancellationToken)
    {
        var extended = new Dictionary<(string, string, string), bool>();
        var extend = transaction.Statement(
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
        foreach (var heartbeat in heartbeats)
        {
            extend.Parameters["@bot"].Value = heartbeat.BotId;
            extend.Parameters["@instance"].Value = heartbeat.InstanceId;
            foreach (var jobId in heartbeat.RunningJobIds)
            {
                if (extended.ContainsKey((jobId, heartbeat.BotId, heartbeat.InstanceId)))
                {
                    continue;
                }

                var progress = heartbeat.Progress?.GetValueOrDefault(jobId);
                extend.Parameters["@id"].Value = jobId;
                extend.Parameters["@percent"].Value = progress is null ? DBNull.Value : progress.Percent;
                extend.Parameters["@message"].Value = (object?)progress?.Message ?? DBNull.Value;
                if (extend.ExecuteScalar() is { } cancelRequested)
                {
                    extended[(jobId, heartbeat.BotId, heartbeat.InstanceId)] = Convert.ToInt64(cancelRequested, CultureInfo.InvariantCulture) != 0;
                }
            }
        }

        return ValueTask.FromResult(extended);
    }

    /// <summary>The assignment in force. Null for an unknown bot.</summary>
    private BotAssignmentState? ReadAssignment(SqliteWriteConnection transaction, string botId)
    {
        using var reader = transaction.Statement($"SELECT {AssignmentColumns} FROM bots WHERE bot_id = @bot", ("@bot", botId)).ExecuteReader();
        return reader.Read() ? ReadAssignment(reader, 0) : null;
    }

    private static void MarkAssignmentDelivered(SqliteWriteConnection transaction, string botId) =>
        transaction.Execute("UPDATE bots SET delivered_assignment_version = assignment_version WHERE bot_id = @bot", ("@bot", botId));
}
