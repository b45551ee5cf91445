namespace BotFleet.JobServer.Storage;

/// <param name="Next">Position to continue from, or null on the last page.</param>
public sealed record JobPage(IReadOnlyList<StoredJob> Jobs, long? Next);
