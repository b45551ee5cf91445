using BotFleet.JobApi.Wire;

namespace BotFleet.JobServer.Storage.PostgreSql;

// An operator's cancel of one job (JobCancellation decides what it does).
public sealed partial class PostgreSqlJobStore
{
    public async Task<JobControlResult> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var (result, op, cancelledNow) = await InTransactionAsync<(JobControlResult, string?, bool)>(
            async (connection, transaction, now) =>
            {
                // Locked, so a report or the sweep cannot end the lease between the read and the write.
                var locked = await LockJobsAsync(connection, transaction, [jobId], cancellationToken);
                var state = locked.TryGetValue(jobId, out var found) ? found : ((string Status, string Op)?)null;
                var outcome = JobCancellation.Decide(state?.Status);
                var cancelledNow = outcome == JobControlOutcome.Done && state?.Status == JobStatuses.Pending;
                if (cancelledNow || outcome == JobControlOutcome.CancelRequested)
                {
                    await using var command = Command(
                        connection,
                        transaction,
                        cancelledNow
                            ? "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = @id"
                            : "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = @id");
                    Add(command, "id", jobId);
                    Add(command, "now", now);
                    if (cancelledNow)
                    {
                        Add(command, "error", JobCancellation.Error);
                    }

                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return (new JobControlResult(jobId, outcome, outcome == JobControlOutcome.WrongStatus ? state?.Status : null), state?.Op, cancelledNow);
            },
            cancellationToken);
        _events?.CancelAnswered(result, op, cancelledNow);
        return result;
    }
}
