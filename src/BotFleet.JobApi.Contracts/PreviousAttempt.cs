namespace BotFleet.JobApi.Contracts;

/// <summary>An earlier attempt at a claimed job, in its <see cref="ClaimedJobMetadata"/>.</summary>
/// <param name="FailedAt">When the attempt ended.</param>
/// <param name="Outcome">failed or lost (an addition to the spec's fields).</param>
public sealed record PreviousAttempt(int Attempt, string BotId, DateTimeOffset? FailedAt, string? Error, string? Outcome);
