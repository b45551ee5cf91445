using BotFleet.JobApi.Wire;

namespace BotFleet.JobServer.Storage.Sqlite;

// An operator's cancel of one job (JobCancellation decides what it does).
public sealed partial class SqliteJobStore
{
    public async Task<JobControlResult> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var (result, op, cancelledNow) = await WriteAsync<(JobControlResult, string?, bool)>(
            (write, now) =>
            {
                var state = ReadJobStates(write, [jobId]).TryGetValue(jobId, out var found) ? found : ((string, string)?)null;
                var outcome = JobCancellation.Decide(state?.Item1);
                var cancelledNow = outcome == JobControlOutcome.Done && state?.Item1 == JobStatuses.Pending;
                if (cancelledNow)
                {
                    write.Execute(
                        "UPDATE jobs SET status = 'cancelled', error = @error, updated_at = @now WHERE id = @id",
                        ("@error", JobCancellation.Error),
                        ("@now", now),
                        ("@id", jobId));
                    var counts = new StatusCountDeltas();
                    counts.Move(state!.Value.Item2, JobStatuses.Pending, JobStatuses.Cancelled);
                    counts.Write(write);
                }
                else if (outcome == JobControlOutcome.CancelRequested)
                {
                    write.Execute(
                        "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, @now), updated_at = @now WHERE id = @id",
                        ("@now", now),
                        ("@id", jobId));
                }

                return (new JobControlResult(jobId, outcome, outcome == JobControlOutcome.WrongStatus ? state?.Item1 : null), state?.Item2, cancelledNow);
            },
            cancellationToken);
        _events?.CancelAnswered(result, op, cancelledNow);
        return result;
    }
}
