using BotFleet.JobServer.Claims;

namespace BotFleet.JobServer.Storage;

// Jobs in motion: submit, claim, report, and the sweep of expired leases.
internal abstract partial class RelationalJobStore<TTransaction, TConnection>
{
    private static readonly IReadOnlySet<(string, string, string)> NoEarlierFailures = new HashSet<(string, string, string)>();

    public async Task<IReadOnlyList<string>> SubmitAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return [];
        }

        var operations = jobs.Select(j => j.Op).Distinct(StringComparer.Ordinal).ToList();
        var ids = await InTransactionAsync(
            async (transaction, now) =>
            {
                await AnnounceArrivalsAsync(transaction, operations, cancellationToken);
                return await InsertJobsAsync(transaction, jobs, now, cancellationToken);
            },
            cancellationToken);
        _arrivals.NotifyEach(operations);
        return ids;
    }

    public async Task<IReadOnlyList<ClaimedJobRecord>?> ClaimAsync(string botId, IReadOnlyList<string> operations, int limit, string? claimId, CancellationToken cancellationToken)
    {
        EndedJobs? ended = null;
        var jobs = await InTransactionAsync<IReadOnlyList<ClaimedJobRecord>?>(async (transaction, now) =>
        {
            if (claimId is not null && await ReadRepeatedClaimAsync(transaction, botId, claimId, now, cancellationToken) is { } repeated)
            {
                // A repeat of the bot's latest claim (its answer was lost): the jobs it leased that the bot still holds.
                return await ToClaimedAsync(transaction, repeated, cancellationToken);
            }

            if (_leaseExpiry.MayHaveExpired(now))
            {
                // A lease may have run out since the last sweep: return it to pending first, so that the claim below
                // sees a single rule (status = 'pending'). Otherwise the sweep is the LeaseSweeper's job alone.
                ended = (await SweepAsync(transaction, now, cancellationToken)).Ended;
            }

            var leaseUntil = now + (long)Options.JobLeaseTtl.TotalMilliseconds;
            string[] distinct = operations.Count == 1 ? [operations[0]] : [.. operations.Distinct(StringComparer.Ordinal)];
            var request = new LeaseRequest(botId, distinct, limit, claimId, now, leaseUntil);
            if (await LeaseAsync(transaction, request, cancellationToken) is not { } leased)
            {
                return null;
            }

            if (leased.Count > 0)
            {
                _leaseExpiry.Leased(leaseUntil);
            }

            return await ToClaimedAsync(transaction, leased, cancellationToken);
        }, cancellationToken);
        _events?.JobsEnded(ended);
        return jobs;
    }

    public async Task<IReadOnlyList<ReportResult>> ReportAsync(IReadOnlyList<JobReportCommand> reports, string botId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            return [];
        }

        List<string>? pendingNow = null;
        EndedJobs? ended = null;
        var results = await InTransactionAsync<IReadOnlyList<ReportResult>>(async (transaction, now) =>
        {
            var ids = ReportBatch.LockOrder(reports);
            var jobs = await ReadReportedJobsAsync(transaction, ids, cancellationToken);
            var history = ReportBatch.NeedingFailureHistory(reports, botId, jobs);
            var earlierFailures = history.Count == 0
                ? NoEarlierFailures
                : await ReadEarlierFailuresAsync(transaction, history, botId, cancellationToken);
            var results = ReportBatch.Apply(reports, botId, jobs, earlierFailures, now, Options, Random.Shared.NextDouble);
            var changed = ReportBatch.Changed(ids, jobs);
            if (changed.Count > 0)
            {
                await WriteReportedJobsAsync(transaction, changed, now, cancellationToken);
                pendingNow = ReportBatch.PendingNow(changed, now);
                ended = ReportBatch.Ended(changed);
                if (pendingNow is not null)
                {
                    await AnnounceArrivalsAsync(transaction, pendingNow, cancellationToken);
                }
            }

            return results;
        }, cancellationToken);
        _arrivals.NotifyEach(pendingNow);
        _events?.JobsEnded(ended);
        return results;
    }

    public async Task<int> SweepExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        var swept = await InTransactionAsync(
            async (transaction, now) =>
            {
                var swept = await SweepAsync(transaction, now, cancellationToken);
                if (swept.Count > 0)
                {
                    await AnnounceArrivalsAsync(transaction, operations: null, cancellationToken);
                }

                return swept;
            },
            cancellationToken);
        if (swept.Count > 0)
        {
            LogLeasesExpired(swept.Count);
            _arrivals?.NotifyAll();
            _events?.JobsEnded(swept.Ended);
        }

        return swept.Count;
    }

    /// <summary>The dialect's sweep, which then tells the lease-expiry watch the earliest lease left.</summary>
    private async ValueTask<SweptLeases> SweepAsync(TTransaction transaction, long now, CancellationToken cancellationToken)
    {
        var swept = await SweepExpiredAsync(transaction, now, cancellationToken);
        _leaseExpiry.Swept(swept.EarliestLeft);
        return swept;
    }

    private async ValueTask<IReadOnlyList<ClaimedJobRecord>> ToClaimedAsync(TTransaction transaction, List<LeasedJobRow> jobs, CancellationToken cancellationToken)
    {
        var history = await LoadAttemptsAsync(ConnectionOf(transaction), transaction, LeasedJobRow.Retried(jobs), cancellationToken);
        return LeasedJobRow.ToClaimed(jobs, history);
    }

    /// <summary>Inserts the jobs pending, in order; a job whose idempotency key is known is not inserted again. Answers each job's id.</summary>
    private protected abstract ValueTask<IReadOnlyList<string>> InsertJobsAsync(
        TTransaction transaction, IReadOnlyList<NewJob> jobs, long now, CancellationToken cancellationToken);

    /// <summary>
    /// When <paramref name="claimId"/> is the bot's latest claim's, marks the bot seen and answers the jobs of that claim
    /// still leased to it, in claim order; else null. A repeat that arrives while the first claim still runs waits for it.
    /// </summary>
    private protected abstract ValueTask<List<LeasedJobRow>?> ReadRepeatedClaimAsync(
        TTransaction transaction, string botId, string claimId, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the bot seen and leases it up to the limit of the best runnable pending jobs its assignment allows (none
    /// while it is paused), never a job another claim holds; remembers them under the claim's id. Answers them in claim
    /// order (priority, then age), or null for an unknown bot.
    /// </summary>
    private protected abstract ValueTask<List<LeasedJobRow>?> LeaseAsync(TTransaction transaction, LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Ends every expired lease: the attempt is "lost"; the job is pending again, dead when it has no attempts left, or
    /// cancelled when an operator asked for that while it ran. A lease being extended or reported right now is kept.
    /// </summary>
    private protected abstract ValueTask<SweptLeases> SweepExpiredAsync(TTransaction transaction, long now, CancellationToken cancellationToken);

    /// <summary>The reported jobs that exist (ids in order, each once), locked until the commit, with their latest attempts.</summary>
    private protected abstract ValueTask<Dictionary<string, ReportedJob>> ReadReportedJobsAsync(
        TTransaction transaction, string[] ids, CancellationToken cancellationToken);

    /// <summary>(job, instance, error) of every failed attempt of these jobs by <paramref name="botId"/>.</summary>
    private protected abstract ValueTask<IReadOnlySet<(string, string, string)>> ReadEarlierFailuresAsync(
        TTransaction transaction, IReadOnlyList<string> jobIds, string botId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes what a report batch changed (in id order). A completion keeps its attempt on the jobs row
    /// (<see cref="ReportedJob.KeepsAttemptOnRow"/>); other endings write their job_attempts row, overwriting the "lost"
    /// outcome of a lease the sweep ended.
    /// </summary>
    private protected abstract ValueTask WriteReportedJobsAsync(TTransaction transaction, List<ReportedJob> changed, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Tells job servers sharing the database, when the transaction commits, that jobs of these operations (null: of
    /// any) became claimable. Long-poll claims in this process are woken after the commit either way.
    /// </summary>
    private protected virtual ValueTask AnnounceArrivalsAsync(TTransaction transaction, IReadOnlyCollection<string>? operations, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    private protected abstract void LogLeasesExpired(int count);
}
