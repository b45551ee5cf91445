namespace BotFleet.JobServer.Storage;

/// <summary>
/// Durable state of the job server: bots, jobs and their attempts, cut by concern into the interfaces it joins (each
/// consumer takes the one it needs). Every method is one atomic unit; callers never see a half-applied change.
/// Implementations read the clock from the TimeProvider in DI so tests can move time.
/// </summary>
public interface IJobStore : IBotRegistry, IJobQueue, IJobCatalog, IJobControl
{
    /// <summary>Creates the schema when missing. Safe to call repeatedly and concurrently.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
