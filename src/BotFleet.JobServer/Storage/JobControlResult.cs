namespace BotFleet.JobServer.Storage;

/// <summary>What an operator's action (requeue, discard, cancel) did to one job it named.</summary>
/// <param name="Status">The job's status when the action did not apply to it (<see cref="JobControlOutcome.WrongStatus"/>).</param>
public sealed record JobControlResult(string JobId, JobControlOutcome Outcome, string? Status = null);
