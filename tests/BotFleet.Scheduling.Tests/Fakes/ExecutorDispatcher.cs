using BotFleet.Contracts.Jobs;
using BotFleet.Scheduling.Execution;
using BotFleet.Scheduling.Scheduling;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>Runs jobs on the real executor off the caller's thread, as a grain call would; can fail the call itself.</summary>
public sealed class ExecutorDispatcher(JobExecutor executor) : IJobDispatcher
{
    public Func<JobWork, Exception?> CallFault { get; set; } = _ => null;

    public Task<JobOutcome> DispatchAsync(JobWork work) =>
        CallFault(work) is { } fault ? Task.FromException<JobOutcome>(fault) : Task.Run(() => executor.RunAsync(work));
}
