using System.Collections.Concurrent;
using BotFleet.JobApi.Contracts;

namespace BotFleet.Scheduling.Execution;

/// <summary>
/// The jobs this silo's handlers are running: the progress each reported and a way to stop it. Worker grains are
/// stateless workers, always activated on the caller's silo, so a bot's scheduler and the handlers of its jobs share
/// this silo-wide board: the scheduler reads progress into its heartbeats and stops a job an operator cancelled,
/// without a grain call per update.
/// </summary>
public sealed class RunningJobBoard
{
    private readonly ConcurrentDictionary<string, RunningJobEntry> _jobs = new(StringComparer.Ordinal);

    /// <summary>How many handlers run on this silo now.</summary>
    public int Count => _jobs.Count;

    /// <summary>The latest progress the job's handler reported on this silo; null when none or not running here.</summary>
    public JobProgress? ProgressOf(string jobId) => _jobs.TryGetValue(jobId, out var entry) ? entry.Progress : null;

    /// <summary>Stops the job's handler (its cancellation token fires); false when the job does not run on this silo.</summary>
    public bool Cancel(string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var entry))
        {
            return false;
        }

        entry.CancelledByOperator = true;
        try
        {
            entry.Stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished meanwhile.
            return false;
        }

        return true;
    }

    internal RunningJobEntry Start(string jobId, CancellationTokenSource stop)
    {
        var entry = new RunningJobEntry(stop);
        _jobs[jobId] = entry;
        return entry;
    }

    internal void Finish(string jobId, RunningJobEntry entry) => _jobs.TryRemove(new KeyValuePair<string, RunningJobEntry>(jobId, entry));
}
