namespace BotFleet.JobApi.Contracts;

/// <summary>
/// The body of a claim answer. The server writes <c>ClaimResponse&lt;ClaimedJob&gt;</c>; a bot reads
/// <c>ClaimResponse&lt;JsonElement&gt;</c> and checks each job on its own (<see cref="ClaimedJobParser"/>), so one
/// malformed job never spoils the whole batch.
/// </summary>
public sealed record ClaimResponse<TJob>(IReadOnlyList<TJob> Jobs, string? Cursor = null);
