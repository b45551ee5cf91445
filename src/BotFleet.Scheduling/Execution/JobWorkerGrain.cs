using BotFleet.Contracts.Jobs;
using Orleans.Concurrency;

namespace BotFleet.Scheduling.Execution;

/// <summary>
/// Runs jobs for every bot on this silo. Stateless and reentrant: one activation runs many
/// jobs at once, since handlers mostly wait (I/O, timers); each bot's own counter bounds how many.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class JobWorkerGrain(JobExecutor executor) : Grain, IJobWorkerGrain
{
    public Task<JobOutcome> RunAsync(JobWork work) => executor.RunAsync(work);
}
