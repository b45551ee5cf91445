namespace BotFleet.JobServer.Storage;

/// <summary>What operators and producers read: one job, pages of jobs, counts, and the age of each queue. Each method is one atomic unit.</summary>
public interface IJobCatalog
{
    Task<StoredJob?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken);

    Task<JobStoreStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>When the oldest pending job of each operation with pending jobs was submitted (a scan of the pending jobs).</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetOldestPendingAsync(CancellationToken cancellationToken);
}
