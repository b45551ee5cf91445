namespace BotFleet.JobServer.Responses;

/// <summary>The body of a claim answer. Typed here (the shared ClaimResponse keeps jobs raw for the bot's sake).</summary>
public sealed record ClaimAnswer(IReadOnlyList<ClaimedJobWire> Jobs, string? Cursor = null);
