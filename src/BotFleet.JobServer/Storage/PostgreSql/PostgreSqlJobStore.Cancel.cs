namespace BotFleet.JobServer.Storage.PostgreSql;

// An operator's cancel of named jobs (JobCancellation decides what it does to each).
public sealed partial class PostgreSqlJobStore
{
    public async Task<IReadOnlyList<JobControlResult>> CancelAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var states = await InTransactionAsync(
            async (connection, transaction, now) =>
            {
                // Locked, so a report or the sweep cannot end a lease between the read and the write.
                var states = await LockJobsAsync(connection, transaction, jobIds, cancellationToken);
                var cancelNow = IdsWhere(states, JobCancelStep.CancelNow);
                if (cancelNow.Length > 0)
                {
                    await using var command = Command(connection, transaction, "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = ANY(@ids)");
                    Add(command, "ids", cancelNow);
                    Add(command, "now", now);
                    Add(command, "error", JobCancellation.Error);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                var askTheBot = IdsWhere(states, JobCancelStep.AskTheBot);
                if (askTheBot.Length > 0)
                {
                    await using var command = Command(
                        connection, transaction, "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = ANY(@ids)");
                    Add(command, "ids", askTheBot);
                    Add(command, "now", now);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return states;
            },
            cancellationToken);
        return JobCancellation.Answer(jobIds, states, _events);
    }

    private static string[] IdsWhere(Dictionary<string, (string Status, string Op)> states, JobCancelStep step) =>
        [.. states.Where(s => JobCancellation.Decide(s.Value.Status) == step).Select(s => s.Key)];
}
