using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two attempts of one job that were open at the same time, by the server's own start and end stamps: the check that
/// no job ever ran twice at once, beyond counting attempts.
/// </summary>
public static class AttemptOverlap
{
    /// <summary>"attempt 1 (…–…) and attempt 2 (…–…)" for each overlapping pair; empty when the attempts follow one another.</summary>
    public static IReadOnlyList<string> Find(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var attempts = job.Attempts.OrderBy(a => a.Started).ToList();
        var overlaps = new List<string>();
        for (var i = 1; i < attempts.Count; i++)
        {
            var (previous, next) = (attempts[i - 1], attempts[i]);
            // An attempt with no end is still running: anything that started after it overlaps it.
            if (previous.Ended is not { } ended || next.Started < ended)
            {
                overlaps.Add($"{job.Id}: attempt {previous.Attempt} ({previous.Started:O}–{previous.Ended:O}) and attempt {next.Attempt} ({next.Started:O}–{next.Ended:O})");
            }
        }

        return overlaps;
    }
}
