using BotFleet.Contracts.Jobs;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>Runs jobs on the silo-local <see cref="IJobWorkerGrain"/> pool.</summary>
public sealed class WorkerGrainDispatcher(IGrainFactory grainFactory) : IJobDispatcher
{
    // A reference is immutable and thread-safe; resolving one per job costs a reflection lookup of its interface.
    private readonly IJobWorkerGrain _workers = grainFactory.GetGrain<IJobWorkerGrain>(0);

    public Task<JobOutcome> DispatchAsync(JobWork work) => _workers.RunAsync(work);
}
