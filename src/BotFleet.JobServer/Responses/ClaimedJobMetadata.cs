namespace BotFleet.JobServer.Responses;

/// <param name="Source">Where the job came from; "api" for every job submitted through POST /v1/jobs.</param>
public sealed record ClaimedJobMetadata(
    string Priority,
    string Source,
    DateTimeOffset CreatedAt,
    IReadOnlyList<PreviousAttemptWire> PreviousAttempts);
