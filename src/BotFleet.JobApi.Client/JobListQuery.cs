namespace BotFleet.JobApi.Client;

/// <summary>The filters of GET /v1/jobs; null leaves a filter out.</summary>
/// <param name="Limit">Jobs per page, 1–1,000.</param>
/// <param name="Cursor">The cursor of the page before (<see cref="Wire.JobListAnswer.Cursor"/>); null for the first page.</param>
public sealed record JobListQuery(string? Status = null, string? Op = null, int Limit = 100, string? Cursor = null);
