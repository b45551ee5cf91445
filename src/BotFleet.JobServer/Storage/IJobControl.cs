namespace BotFleet.JobServer.Storage;

/// <summary>An operator's actions on jobs (requeue, discard, cancel) and the pruning of finished ones. Each method is one atomic unit.</summary>
public interface IJobControl
{
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
}
