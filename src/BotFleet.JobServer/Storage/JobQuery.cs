namespace BotFleet.JobServer.Storage;

/// <param name="After">Keyset cursor: only jobs after this position (from <see cref="JobPage.Next"/>).</param>
public sealed record JobQuery(string? Status, string? Op, int Limit, long? After);
