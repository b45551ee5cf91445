namespace BotFleet.JobServer.Storage;

/// <summary>
/// Durable state of the job server: bots, jobs and their attempts. Every method is one
/// atomic unit; callers never see a half-applied change. Implementations read the clock
/// from the TimeProvider in DI so tests can move time.
/// </summary>
public interface IJobStore
{
    /// <summary>Creates the schema when missing. Safe to call repeatedly and concurrently.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

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

    /// <summary>
    /// Leases up to <paramref name="limit"/> runnable jobs of the given operations that the bot's assignment allows
    /// (none while it is paused); null when the bot is unknown.
    /// </summary>
    /// <param name="claimId">
    /// The bot's id for this claim, or null. The store remembers, per bot, the latest claim id that leased jobs: a
    /// claim carrying it again (a retry whose first answer was lost) gets the jobs of that claim the bot still holds,
    /// and nothing new, so a lost answer strands no job until its lease runs out.
    /// </param>
    Task<IReadOnlyList<ClaimedJobRecord>?> ClaimAsync(string botId, IReadOnlyList<string> operations, int limit, string? claimId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes complete/fail reports sent with <paramref name="botId"/>'s token, all in one transaction, and answers
    /// one <see cref="ReportResult"/> per report in input order. A report changes a job only when that bot holds the
    /// job's latest attempt with the report's instance; otherwise it is <see cref="ReportResult.Conflict"/> (or
    /// <see cref="ReportResult.Repeated"/> for a repeat of what was already taken). Items are applied in order, so a
    /// job reported twice behaves exactly as two reports in a row.
    /// </summary>
    Task<IReadOnlyList<ReportResult>> ReportAsync(IReadOnlyList<JobReportCommand> reports, string botId, CancellationToken cancellationToken);

    /// <summary>Adds jobs in one transaction; a known idempotency key yields the existing job's id. Ids come back in input order.</summary>
    Task<IReadOnlyList<string>> SubmitAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken);

    Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken);

    Task<JobStoreStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>When the oldest pending job of each operation with pending jobs was submitted (a scan of the pending jobs).</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetOldestPendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Puts the named dead jobs back in the queue, in one transaction: each becomes pending, claimable at once, with
    /// <paramref name="attempts"/> more attempts (its attempt history and last error kept). One result per id, in
    /// input order; a job that is not dead is left as it is.
    /// </summary>
    Task<IReadOnlyList<JobControlResult>> RequeueAsync(IReadOnlyList<string> jobIds, int attempts, CancellationToken cancellationToken);

    /// <summary>Requeues (as <see cref="RequeueAsync"/>) up to <paramref name="limit"/> of the oldest dead jobs, of <paramref name="op"/> when given.</summary>
    /// <returns>How many jobs were requeued.</returns>
    Task<int> RequeueDeadAsync(string? op, int limit, int attempts, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the named dead jobs with their attempts, in one transaction (their idempotency keys become free). One
    /// result per id, in input order; a job that is not dead is left as it is.
    /// </summary>
    Task<IReadOnlyList<JobControlResult>> DiscardAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken);

    /// <summary>Discards (as <see cref="DiscardAsync"/>) up to <paramref name="limit"/> of the oldest dead jobs, of <paramref name="op"/> when given.</summary>
    /// <returns>How many jobs were discarded.</returns>
    Task<int> DiscardDeadAsync(string? op, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels the named jobs, in one transaction, with one result per id in input order: a pending job ends cancelled
    /// at once (<see cref="JobControlOutcome.Done"/>);
    /// for a leased job the cancel is recorded (<see cref="JobControlOutcome.CancelRequested"/>): its bot hears it with
    /// its next heartbeat (<see cref="HeartbeatResult.Cancel"/>), and the attempt's failure report or lease expiry ends
    /// the job cancelled, never retried (a completion still completes it). Cancelling a cancelled job is Done again;
    /// completed and dead jobs are <see cref="JobControlOutcome.WrongStatus"/>.
    /// </summary>
    Task<IReadOnlyList<JobControlResult>> CancelAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the oldest jobs in <paramref name="status"/> (completed, dead or cancelled) whose
    /// last change is before <paramref name="endedBefore"/>, with their attempts, in one transaction.
    /// </summary>
    /// <returns>How many jobs were deleted.</returns>
    Task<int> PruneAsync(string status, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Returns expired leases to pending (or dead once out of attempts), recording the attempt as "lost".</summary>
    /// <returns>How many leases expired.</returns>
    Task<int> SweepExpiredLeasesAsync(CancellationToken cancellationToken);
}
