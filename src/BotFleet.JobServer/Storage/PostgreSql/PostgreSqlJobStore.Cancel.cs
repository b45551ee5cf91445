namespace BotFleet.JobServer.Storage.PostgreSql;

// An operator's cancel of one job (JobCancellation decides what it does).
public sealed partial class PostgreSqlJobStore
{
    public async Task<JobControlResult> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var (step, state) = await InTransactionAsync(
            async (connection, transaction, now) =>
            {
                // Locked, so a report or the sweep cannot end the lease between the read and the write.
                (string Status, string Op)? state = (await LockJobsAsync(connection, transaction, [jobId], cancellationToken)).TryGetValue(jobId, out var found) ? found : null;
                var step = JobCancellation.Decide(state?.Status);
                if (step is JobCancelStep.CancelNow or JobCancelStep.AskTheBot)
                {
                    await using var command = Command(
                        connection,
                        transaction,
                        step == JobCancelStep.CancelNow
                            ? "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = @id"
                            : "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = @id");
                    Add(command, "id", jobId);
                    Add(command, "now", now);
                    if (step == JobCancelStep.CancelNow)
                    {
                        Add(command, "error", JobCancellation.Error);
                    }

                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return (step, state);
            },
            cancellationToken);
        _events?.CancelAnswered(jobId, state?.Op, step);
        return JobCancellation.Result(jobId, step, state?.Status);
    }
}
