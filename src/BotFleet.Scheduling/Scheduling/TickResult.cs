namespace BotFleet.Scheduling.Scheduling;

/// <summary>The outcome of a tick, how many jobs it started, and the server's Retry-After if it sent one.</summary>
public readonly record struct TickResult(TickOutcome Outcome, int JobsStarted = 0, TimeSpan? RetryAfter = null);
