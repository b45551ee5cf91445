namespace BotFleet.JobServer.Storage;

/// <summary>A job just leased to a bot, with the attempts before this one.</summary>
/// <param name="TraceParent">The trace context stored at submit, if the submit was traced.</param>
public sealed record ClaimedJobRecord(
    string Id,
    string Op,
    string PayloadJson,
    DateTimeOffset LeaseUntil,
    int Attempt,
    JobPriority Priority,
    DateTimeOffset CreatedAt,
    IReadOnlyList<StoredJobAttempt> PreviousAttempts,
    string? TraceParent = null);
