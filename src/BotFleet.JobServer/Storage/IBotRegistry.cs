namespace BotFleet.JobServer.Storage;

/// <summary>The bots a job server knows: registration and credentials, assignments, heartbeats (the leases they extend). Each method is one atomic unit.</summary>
public interface IBotRegistry
{
    /// <summary>Registers a bot_key for the first time, or re-registers it keeping its bot_id.</summary>
    Task<BotRegistrationResult> RegisterBotAsync(BotRegistration registration, CancellationToken cancellationToken);

    /// <summary>
    /// The current token hash and expiry of each known bot among <paramref name="botIds"/>, to authenticate their calls
    /// (a batched heartbeat authenticates many bots at once); unknown bots are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, BotCredentials>> GetBotCredentialsAsync(IReadOnlyCollection<string> botIds, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a bot's assignment. An operator's choice outlives re-registration; the bot learns it
    /// from its next heartbeat (<see cref="HeartbeatResult.ChangedAssignment"/>). Null when the bot is unknown.
    /// </summary>
    Task<BotAssignmentState?> UpdateAssignmentAsync(string botId, AssignmentUpdate update, CancellationToken cancellationToken);

    /// <summary>Every registered bot, by bot_key, with the number of jobs it holds leased.</summary>
    Task<IReadOnlyList<RegisteredBot>> ListBotsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes heartbeats of one or many bots in one transaction: marks each bot seen and extends the leases it still
    /// holds among its running jobs. Answers one result per heartbeat in input order, null where the bot is unknown.
    /// A changed assignment is delivered once: to the first heartbeat of that bot in the batch.
    /// </summary>
    Task<IReadOnlyList<HeartbeatResult?>> HeartbeatAsync(IReadOnlyList<BotHeartbeat> heartbeats, CancellationToken cancellationToken);
}
