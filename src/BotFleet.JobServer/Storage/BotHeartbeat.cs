namespace BotFleet.JobServer.Storage;

/// <summary>One bot's heartbeat: it is alive as <paramref name="InstanceId"/> and still runs <paramref name="RunningJobIds"/>.</summary>
/// <param name="Progress">Progress reported for some of the running jobs, stored on the jobs whose lease the heartbeat extends.</param>
/// <param name="Health">What the bot said of itself; stored on its row (null clears what an earlier heartbeat said).</param>
public sealed record BotHeartbeat(
    string BotId,
    string InstanceId,
    IReadOnlyList<string> RunningJobIds,
    IReadOnlyDictionary<string, StoredProgress>? Progress = null,
    BotHealthReport? Health = null);
