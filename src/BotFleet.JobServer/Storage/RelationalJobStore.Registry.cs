using System.Data.Common;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage;

// Bots: registration, credentials, assignments, heartbeats.
internal abstract partial class RelationalJobStore<TTransaction, TConnection>
{
    /// <summary>The assignment in force: the operator's choices where made, the registration's otherwise (<see cref="ReadAssignment"/>).</summary>
    private protected const string AssignmentColumns =
        "COALESCE(assigned_operations, capabilities), COALESCE(assigned_max_concurrency, max_concurrency), paused";

    public Task<BotRegistrationResult> RegisterBotAsync(BotRegistration registration, CancellationToken cancellationToken) =>
        InTransactionAsync((transaction, now) => WriteRegistrationAsync(transaction, registration, Ids.NewBotId(), now, cancellationToken), cancellationToken);

    public async Task<IReadOnlyDictionary<string, BotCredentials>> GetBotCredentialsAsync(IReadOnlyCollection<string> botIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(botIds);
        if (botIds.Count == 0)
        {
            return new Dictionary<string, BotCredentials>(StringComparer.Ordinal);
        }

        return await ReadAsync(connection => ReadCredentialsAsync(connection, botIds, cancellationToken), cancellationToken);
    }

    public Task<BotAssignmentState?> UpdateAssignmentAsync(string botId, AssignmentUpdate update, CancellationToken cancellationToken) =>
        InTransactionAsync((transaction, _) => WriteAssignmentAsync(transaction, botId, update, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<RegisteredBot>> ListBotsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RegisteredBot>>(async connection =>
        {
            var bots = new List<RegisteredBot>();
            await using var command = Command(
                connection,
                $"""
                SELECT b.bot_id, b.bot_key, b.version, b.capabilities, {AssignmentColumns}, b.registered_at, b.last_seen_at,
                       CAST(COALESCE(l.n, 0) AS integer), b.outbox_size, b.last_error
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
        InTransactionAsync<IReadOnlyList<HeartbeatResult?>>(async (transaction, now) =>
        {
            // A bot's health is what the last of its heartbeats in the batch says.
            var health = new Dictionary<string, BotHealthReport?>(heartbeats.Count, StringComparer.Ordinal);
            foreach (var heartbeat in heartbeats)
            {
                health[heartbeat.BotId] = heartbeat.Health;
            }

            var assignments = await MarkBotsSeenAsync(transaction, health, now, cancellationToken);
            var leaseUntil = now + (long)Options.JobLeaseTtl.TotalMilliseconds;
            var extended = await ExtendLeasesAsync(transaction, heartbeats, leaseUntil, now, cancellationToken);

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

                // Answered in the bot's order, each job once; a changed assignment goes with the bot's first answer.
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
    /// Registers a new bot under <paramref name="newBotId"/>, or a known bot key again (new instance, capabilities,
    /// tokens); answers with the assignment in force, which the bot has now heard.
    /// </summary>
    private protected abstract ValueTask<BotRegistrationResult> WriteRegistrationAsync(
        TTransaction transaction, BotRegistration registration, string newBotId, long now, CancellationToken cancellationToken);

    /// <summary>The token hash and expiry of each of the (at least one) bots that exist.</summary>
    private protected abstract ValueTask<IReadOnlyDictionary<string, BotCredentials>> ReadCredentialsAsync(
        TConnection connection, IReadOnlyCollection<string> botIds, CancellationToken cancellationToken);

    /// <summary>Applies an operator's assignment change and bumps its version; the assignment now in force, null for an unknown bot.</summary>
    private protected abstract ValueTask<BotAssignmentState?> WriteAssignmentAsync(
        TTransaction transaction, string botId, AssignmentUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Marks each known bot seen with its health and its assignment heard. Answers each known bot with its assignment
    /// when it changed since the bot last heard it, else null; unknown bots are absent.
    /// </summary>
    private protected abstract ValueTask<Dictionary<string, BotAssignmentState?>> MarkBotsSeenAsync(
        TTransaction transaction, IReadOnlyDictionary<string, BotHealthReport?> health, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Extends to <paramref name="leaseUntil"/> every lease a heartbeat's bot still holds with that instance, storing
    /// the progress sent for a job on its current attempt. Answers each (job, bot, instance) extended with whether an
    /// operator asked to cancel the job.
    /// </summary>
    private protected abstract ValueTask<Dictionary<(string JobId, string BotId, string InstanceId), bool>> ExtendLeasesAsync(
        TTransaction transaction, IReadOnlyList<BotHeartbeat> heartbeats, long leaseUntil, long now, CancellationToken cancellationToken);

    /// <summary>A list of names (capabilities, operations) as the dialect keeps it.</summary>
    private protected abstract string[] ReadNames(DbDataReader reader, int column);

    /// <summary>The assignment in the <see cref="AssignmentColumns"/>, from <paramref name="first"/> on.</summary>
    private protected BotAssignmentState ReadAssignment(DbDataReader reader, int first) =>
        new(ReadNames(reader, first), reader.GetInt32(first + 1), reader.GetBoolean(first + 2));
}
