namespace BotFleet.Cli.Connections;

/// <summary>The filters of GET /v1/jobs; null leaves a filter out.</summary>
internal sealed record JobListQuery(string? Status, string? Op, int Limit, string? Cursor);
