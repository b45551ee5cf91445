namespace BotFleet.Scheduling.Handlers;

/// <summary>The result of a sleep job: <c>{"slept_ms": n}</c>.</summary>
public sealed record SleepResult(long SleptMs);
