using BotFleet.Contracts.Jobs;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>Runs jobs on the silo-local <see cref="IJobWorkerGrain"/> pool.</summary>
public sealed class WorkerGrainDispatcher(IGrainFactory grainFactory) : IJobDispatcher
{
    public Task<JobOutcome> DispatchAsync(JobWork work) => grainFactory.GetGrain<IJobWorkerGrain>(0).RunAsync(work);
}
