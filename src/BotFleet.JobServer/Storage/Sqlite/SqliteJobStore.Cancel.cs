using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Storage.Sqlite;

// An operator's cancel of named jobs (JobCancellation decides what it does to each).
public sealed partial class SqliteJobStore
{
    public async Task<IReadOnlyList<JobControlResult>> CancelAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var states = await WriteAsync(
            (write, now) =>
            {
                var states = ReadJobStates(write, jobIds);
                var cancelNow = write.Statement(
                    "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = @id",
                    ("@error", JobCancellation.Error),
                    ("@now", now),
                    ("@id", string.Empty));
                var askTheBot = write.Statement(
                    "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = @id",
                    ("@now", now),
                    ("@id", string.Empty));
                var counts = new StatusCountDeltas();
                foreach (var (id, (status, op)) in states)
                {
                    switch (JobCancellation.Decide(status))
                    {
                        case JobCancelStep.CancelNow:
                            cancelNow.Parameters["@id"].Value = id;
                            cancelNow.ExecuteNonQuery();
                            counts.Move(op, JobStatuses.Pending, JobStatuses.Cancelled);
                            break;
                        case JobCancelStep.AskTheBot:
                            askTheBot.Parameters["@id"].Value = id;
                            askTheBot.ExecuteNonQuery();
                            break;
                    }
                }

                counts.Write(write);
                return states;
            },
            cancellationToken);
        return JobCancellation.Answer(jobIds, states, _events);
    }
}
