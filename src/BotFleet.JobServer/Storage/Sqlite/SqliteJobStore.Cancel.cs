using BotFleet.JobApi.Wire;

namespace BotFleet.JobServer.Storage.Sqlite;

// An operator's cancel of one job (JobCancellation decides what it does).
public sealed partial class SqliteJobStore
{
    public async Task<JobControlResult> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var (step, state) = await WriteAsync(
            (write, now) =>
            {
                (string Status, string Op)? state = ReadJobStates(write, [jobId]).TryGetValue(jobId, out var found) ? found : null;
                var step = JobCancellation.Decide(state?.Status);
                if (step == JobCancelStep.CancelNow)
                {
                    write.Execute(
                        "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = @id",
                        ("@error", JobCancellation.Error),
                        ("@now", now),
                        ("@id", jobId));
                    var counts = new StatusCountDeltas();
                    counts.Move(state!.Value.Op, JobStatuses.Pending, JobStatuses.Cancelled);
                    counts.Write(write);
                }
                else if (step == JobCancelStep.AskTheBot)
                {
                    write.Execute(
                        "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = @id",
                        ("@now", now),
                        ("@id", jobId));
                }

                return (step, state);
            },
            cancellationToken);
        _events?.CancelAnswered(jobId, state?.Op, step);
        return JobCancellation.Result(jobId, step, state?.Status);
    }
}
