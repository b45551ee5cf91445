using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.Sqlite;

// The retention policy's deletes (Retention/JobRetention).
public sealed partial class SqliteJobStore
{
    public async Task<int> PruneAsync(string status, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        RequirePrunable(status);
        var byOp = await WriteAsync(
            (write, _) => DeleteOldest(write, status, " AND updated_at < @before", [("@before", endedBefore.ToUnixTimeMilliseconds()), ("@limit", limit)]),
            cancellationToken);
        return byOp.Values.Sum();
    }
}
