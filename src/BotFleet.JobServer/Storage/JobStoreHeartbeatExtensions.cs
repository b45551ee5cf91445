namespace BotFleet.JobServer.Storage;

/// <summary>The heartbeat of a single bot, as a batch of one.</summary>
public static class JobStoreHeartbeatExtensions
{
    /// <summary>Marks the bot seen and extends the leases it still holds among <paramref name="runningJobIds"/>; null when the bot is unknown.</summary>
    public static async Task<HeartbeatResult?> HeartbeatAsync(
        this IBotRegistry store,
        string botId,
        string instanceId,
        IReadOnlyList<string> runningJobIds,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, StoredProgress>? progress = null)
    {
        var results = await store.HeartbeatAsync([new BotHeartbeat(botId, instanceId, runningJobIds, progress)], cancellationToken);
        return results[0];
    }
}
