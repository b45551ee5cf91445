using BotFleet.JobApi.Wire;

namespace BotFleet.Cli.Connections;

/// <summary>One page of GET /v1/jobs.</summary>
/// <param name="Cursor">Pass back as --cursor for the next page; null on the last page.</param>
internal sealed record JobPage(IReadOnlyList<JobView> Jobs, string? Cursor);
