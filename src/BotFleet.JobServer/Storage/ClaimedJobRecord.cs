namespace BotFleet.JobServer.Storage;

/// <summary>A job just leased to a bot, with the attempts before this one.</summary>
public sealed record ClaimedJobRecord(
    string Id,
    string Op,
    string PayloadJson,
    DateTimeOffset LeaseUntil,
    int Attempt,
    JobPriority Priority,
    DateTimeOffset CreatedAt,
    IReadOnlyList<StoredJobAttempt> PreviousAttempts);
