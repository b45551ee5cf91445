using System.Data.Common;
using BotFleet.JobServer.Claims;

namespace BotFleet.JobServer.Storage;

// An operator's actions (requeue, discard and cancel, by id or over all dead jobs) and the retention policy's deletes.
internal abstract partial class RelationalJobStore<TTransaction, TConnection>
{
    public async Task<IReadOnlyList<JobControlResult>> RequeueAsync(IReadOnlyList<string> jobIds, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var plan = await InTransactionAsync(
            async (transaction, now) =>
            {
                var plan = JobControlPlan.For(jobIds, await LockJobsAsync(transaction, jobIds, cancellationToken));
                if (plan.Applicable.Length > 0)
                {
                    await RequeueJobsAsync(transaction, plan, attempts, now, cancellationToken);
                    await AnnounceArrivalsAsync(transaction, plan.ByOp.Keys, cancellationToken);
                }

                return plan;
            },
            cancellationToken);
        Requeued(plan.ByOp, attempts);
        return plan.Results;
    }

    public async Task<int> RequeueDeadAsync(string? op, int limit, int attempts, CancellationToken cancellationToken)
    {
        var dead = OldestJobs.Dead(op, limit);
        var byOp = await InTransactionAsync(
            async (transaction, now) =>
            {
                var byOp = await RequeueOldestAsync(transaction, dead, attempts, now, cancellationToken);
                if (byOp.Count > 0)
                {
                    await AnnounceArrivalsAsync(transaction, byOp.Keys, cancellationToken);
                }

                return byOp;
            },
            cancellationToken);
        Requeued(byOp, attempts);
        return byOp.Values.Sum();
    }

    public async Task<IReadOnlyList<JobControlResult>> DiscardAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var plan = await InTransactionAsync(
            async (transaction, _) =>
            {
                var plan = JobControlPlan.For(jobIds, await LockJobsAsync(transaction, jobIds, cancellationToken));
                if (plan.Applicable.Length > 0)
                {
                    await DeleteJobsAsync(transaction, plan, cancellationToken);
                }

                return plan;
            },
            cancellationToken);
        _events?.JobsDiscarded(plan.ByOp);
        return plan.Results;
    }

    public async Task<int> DiscardDeadAsync(string? op, int limit, CancellationToken cancellationToken)
    {
        var dead = OldestJobs.Dead(op, limit);
        var byOp = await InTransactionAsync((transaction, _) => DeleteOldestAsync(transaction, dead, cancellationToken), cancellationToken);
        _events?.JobsDiscarded(byOp);
        return byOp.Values.Sum();
    }

    public async Task<IReadOnlyList<JobControlResult>> CancelAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var states = await InTransactionAsync(
            async (transaction, now) =>
            {
                // Locked, so a report or the sweep cannot end a lease between the read and the write.
                var states = await LockJobsAsync(transaction, jobIds, cancellationToken);
                var cancelNow = states.Where(s => JobCancellation.Decide(s.Value.Status) == JobCancelStep.CancelNow).Select(s => (s.Key, s.Value.Op)).ToList();
                if (cancelNow.Count > 0)
                {
                    await CancelPendingAsync(transaction, cancelNow, now, cancellationToken);
                }

                var askTheBot = states.Where(s => JobCancellation.Decide(s.Value.Status) == JobCancelStep.AskTheBot).Select(s => s.Key).ToArray();
                if (askTheBot.Length > 0)
                {
                    await RequestCancelAsync(transaction, askTheBot, now, cancellationToken);
                }

                return states;
            },
            cancellationToken);
        return JobCancellation.Answer(jobIds, states, _events);
    }

    /// <summary>Deletes finished jobs of <paramref name="status"/> last changed before <paramref name="endedBefore"/>, oldest first.</summary>
    public async Task<int> PruneAsync(string status, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        // Refused (a status that is not finished) before any transaction begins.
        var ended = OldestJobs.EndedBefore(status, endedBefore, limit);
        var byOp = await InTransactionAsync((transaction, _) => DeleteOldestAsync(transaction, ended, cancellationToken), cancellationToken);
        return byOp.Values.Sum();
    }

    /// <summary>
    /// The status and operation of each named job that exists, locked until the commit (in id order, as reports lock,
    /// so the two never deadlock).
    /// </summary>
    private protected abstract ValueTask<Dictionary<string, (string Status, string Op)>> LockJobsAsync(
        TTransaction transaction, IReadOnlyList<string> jobIds, CancellationToken cancellationToken);

    /// <summary>Makes the plan's dead jobs pending again with <paramref name="attempts"/> more attempts, runnable now.</summary>
    private protected abstract ValueTask RequeueJobsAsync(TTransaction transaction, JobControlPlan plan, int attempts, long now, CancellationToken cancellationToken);

    /// <summary>Requeues the <paramref name="jobs"/> (dead) like <see cref="RequeueJobsAsync"/>; answers how many of each operation.</summary>
    private protected abstract ValueTask<Dictionary<string, int>> RequeueOldestAsync(
        TTransaction transaction, OldestJobs jobs, int attempts, long now, CancellationToken cancellationToken);

    /// <summary>Deletes the plan's dead jobs with their attempts.</summary>
    private protected abstract ValueTask DeleteJobsAsync(TTransaction transaction, JobControlPlan plan, CancellationToken cancellationToken);

    /// <summary>Deletes the <paramref name="jobs"/> with their attempts; answers how many of each operation went.</summary>
    private protected abstract ValueTask<Dictionary<string, int>> DeleteOldestAsync(TTransaction transaction, OldestJobs jobs, CancellationToken cancellationToken);

    /// <summary>Ends these pending jobs cancelled, with <see cref="JobCancellation.Error"/>.</summary>
    private protected abstract ValueTask CancelPendingAsync(
        TTransaction transaction, IReadOnlyList<(string Id, string Op)> jobs, long now, CancellationToken cancellationToken);

    /// <summary>Marks these running jobs' cancel as asked (kept from the first ask); their bots hear it with their next heartbeat.</summary>
    private protected abstract ValueTask RequestCancelAsync(TTransaction transaction, string[] jobIds, long now, CancellationToken cancellationToken);

    /// <summary>How many rows of each operation <paramref name="command"/> answers (its first column): what a step over <see cref="OldestJobs"/> changed.</summary>
    private protected static async ValueTask<Dictionary<string, int>> ReadOpsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var ops = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ops.Add(reader.GetString(0));
        }

        return JobControlPlan.CountByOp(ops);
    }

    private void Requeued(Dictionary<string, int> byOp, int attempts)
    {
        if (byOp.Count == 0)
        {
            return;
        }

        _events?.JobsRequeued(byOp, attempts);
        _arrivals.NotifyEach(byOp.Keys);
    }
}
