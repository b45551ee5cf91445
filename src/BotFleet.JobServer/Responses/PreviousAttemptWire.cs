namespace BotFleet.JobServer.Responses;

/// <param name="FailedAt">When the attempt ended.</param>
/// <param name="Outcome">failed or lost (an addition to the spec's fields).</param>
public sealed record PreviousAttemptWire(int Attempt, string BotId, DateTimeOffset? FailedAt, string? Error, string? Outcome);
