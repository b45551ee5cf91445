namespace BotFleet.JobServer.Storage;

/// <summary>What the server lets a bot do: the operations it may claim, how many at once, and whether it is paused.</summary>
public sealed record BotAssignmentState(IReadOnlyList<string> Operations, int MaxConcurrency, bool Paused);
