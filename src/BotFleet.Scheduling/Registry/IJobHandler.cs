namespace BotFleet.Scheduling.Registry;

/// <summary>
/// Runs one kind of job. Return the job's result (serialised to JSON); throw to fail the job
/// (the exception's message becomes the report's error). Honour the cancellation token:
/// it fires when the operation's timeout expires.
/// </summary>
public interface IJobHandler
{
    ValueTask<object?> HandleAsync(JobContext context, CancellationToken cancellationToken);
}
