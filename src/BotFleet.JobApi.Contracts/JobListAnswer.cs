namespace BotFleet.JobApi.Contracts;

/// <summary>One page of GET /v1/jobs, oldest first.</summary>
/// <param name="Cursor">Pass back as ?cursor= for the next page; absent on the last page.</param>
public sealed record JobListAnswer(IReadOnlyList<JobView> Jobs, string? Cursor = null);
