using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// Which of the jobs an operator named an action (requeue, discard) applies to, decided the same way by both stores
/// from the jobs they locked and read: dead jobs only; an id named twice counts once.
/// </summary>
internal sealed class JobControlPlan
{
    private JobControlPlan(IReadOnlyList<JobControlResult> results, string[] applicable, Dictionary<string, int> byOp)
    {
        Results = results;
        Applicable = applicable;
        ByOp = byOp;
    }

    /// <summary>One result per named id, in input order.</summary>
    public IReadOnlyList<JobControlResult> Results { get; }

    /// <summary>The dead jobs to change, each once, in id order (the order the stores lock in).</summary>
    public string[] Applicable { get; }

    /// <summary>How many of <see cref="Applicable"/> each operation has.</summary>
    public Dictionary<string, int> ByOp { get; }

    /// <param name="found">Status and operation of each named job that exists.</param>
    public static JobControlPlan For(IReadOnlyList<string> jobIds, IReadOnlyDictionary<string, (string Status, string Op)> found)
    {
        var results = new JobControlResult[jobIds.Count];
        var applicable = new SortedSet<string>(StringComparer.Ordinal);
        var byOp = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < jobIds.Count; i++)
        {
            var id = jobIds[i];
            if (!found.TryGetValue(id, out var job))
            {
                results[i] = new JobControlResult(id, JobControlOutcome.NotFound);
            }
            else if (job.Status != JobStatuses.Dead)
            {
                results[i] = new JobControlResult(id, JobControlOutcome.WrongStatus, job.Status);
            }
            else
            {
                results[i] = new JobControlResult(id, JobControlOutcome.Done);
                if (applicable.Add(id))
                {
                    byOp[job.Op] = byOp.GetValueOrDefault(job.Op) + 1;
                }
            }
        }

        return new JobControlPlan(results, [.. applicable], byOp);
    }

    /// <summary>Counts per operation of the jobs an action over "all dead jobs" changed.</summary>
    public static Dictionary<string, int> CountByOp(IEnumerable<string> ops)
    {
        var byOp = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            byOp[op] = byOp.GetValueOrDefault(op) + 1;
        }

        return byOp;
    }
}
