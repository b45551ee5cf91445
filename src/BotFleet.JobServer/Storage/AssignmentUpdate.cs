namespace BotFleet.JobServer.Storage;

/// <summary>An operator's change to a bot's assignment; null fields stay as they are.</summary>
public sealed record AssignmentUpdate(IReadOnlyList<string>? Operations, int? MaxConcurrency, bool? Paused);
