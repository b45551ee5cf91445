namespace BotFleet.JobServer.Storage;

/// <summary>The jobs' way through the queue: submitted, claimed by bots, reported, and returned when a lease expires. Each method is one atomic unit.</summary>
public interface IJobQueue
{
    /// <summary>Adds jobs in one transaction; a known idempotency key yields the existing job's id. Ids come back in input order.</summary>
    Task<IReadOnlyList<string>> SubmitAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken);

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

    /// <summary>Returns expired leases to pending (or dead once out of attempts), recording the attempt as "lost".</summary>
    /// <returns>How many leases expired.</returns>
    Task<int> SweepExpiredLeasesAsync(CancellationToken cancellationToken);
}
