using BotFleet.Contracts.Jobs;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>Hands a job to whatever runs it (a worker grain in the silo, an executor in tests).</summary>
public interface IJobDispatcher
{
    Task<JobOutcome> DispatchAsync(JobWork work);
}
