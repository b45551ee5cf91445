using BotFleet.JobApi.Contracts;

using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage;

/// <summary>
/// The oldest jobs (by seq) in one status that meet a filter, up to a limit: what an operator's action over all dead
/// jobs (of one operation) and the retention policy take, a batch at a time.
/// </summary>
internal sealed class OldestJobs
{
    private readonly string _filter;

    private OldestJobs(string status, string filter, (string Name, object Value)[] parameters)
    {
        Status = status;
        _filter = filter;
        Parameters = parameters;
    }

    public string Status { get; }

    /// <summary>The values of the parameters <see cref="Select"/> names ("@limit" and the filter's), never null.</summary>
    public (string Name, object Value)[] Parameters { get; }

    /// <summary>Dead jobs, of <paramref name="op"/> when given.</summary>
    public static OldestJobs Dead(string? op, int limit) =>
        op is null
            ? new(JobStatuses.Dead, string.Empty, [("@limit", limit)])
            : new(JobStatuses.Dead, " AND op = @op", [("@limit", limit), ("@op", op)]);

    /// <summary>Jobs in <paramref name="status"/> (a finished one) last changed before <paramref name="endedBefore"/>.</summary>
    public static OldestJobs EndedBefore(string status, DateTimeOffset endedBefore, int limit)
    {
        RequirePrunable(status);
        return new(status, " AND updated_at < @before", [("@before", endedBefore.ToUnixTimeMilliseconds()), ("@limit", limit)]);
    }

    /// <summary>
    /// The SELECT of <paramref name="columns"/> of these jobs. The status is a literal, so the planner can take that
    /// status's partial index.
    /// </summary>
    public string Select(string columns) =>
        $"SELECT {columns} FROM jobs WHERE status = {StatusLiteral(Status)}{_filter} ORDER BY seq LIMIT @limit";
}
