namespace BotFleet.JobServer.Storage;

/// <summary>One bot's heartbeat: it is alive as <paramref name="InstanceId"/> and still runs <paramref name="RunningJobIds"/>.</summary>
public sealed record BotHeartbeat(string BotId, string InstanceId, IReadOnlyList<string> RunningJobIds);
