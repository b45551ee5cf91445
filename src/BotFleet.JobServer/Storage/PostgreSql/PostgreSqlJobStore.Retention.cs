using static BotFleet.JobServer.Storage.StoreValues;

namespace BotFleet.JobServer.Storage.PostgreSql;

// The retention policy's deletes (Retention/JobRetention).
public sealed partial class PostgreSqlJobStore
{
    public async Task<int> PruneAsync(string status, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        RequirePrunable(status);
        var ops = await InTransactionAsync(
            (connection, transaction, _) => DeleteOldestAsync(
                connection,
                transaction,
                status,
                " AND updated_at < @before",
                command =>
                {
                    Add(command, "before", endedBefore.ToUnixTimeMilliseconds());
                    Add(command, "limit", limit);
                },
                cancellationToken),
            cancellationToken);
        return ops.Count;
    }
}
