namespace BotFleet.JobServer.Storage;

/// <param name="Outcome">Null while running; then completed, failed or lost.</param>
public sealed record StoredJobAttempt(
    int Attempt,
    string BotId,
    string InstanceId,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    string? Outcome,
    string? Error);
