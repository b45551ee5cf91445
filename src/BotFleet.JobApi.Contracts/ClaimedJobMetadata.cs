namespace BotFleet.JobApi.Contracts;

/// <summary>What the server tells about a claimed job beyond what running it needs: for handlers and operators.</summary>
/// <param name="Source">Where the job came from; "api" for every job submitted through POST /v1/jobs.</param>
public sealed record ClaimedJobMetadata(
    string Priority,
    string Source,
    DateTimeOffset CreatedAt,
    IReadOnlyList<PreviousAttempt> PreviousAttempts);
