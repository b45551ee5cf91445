using BotFleet.JobApi.Wire;

namespace BotFleet.JobServer.Responses;

/// <param name="Cursor">Pass back as ?cursor= for the next page; absent on the last page.</param>
public sealed record JobListAnswer(IReadOnlyList<JobView> Jobs, string? Cursor = null);
