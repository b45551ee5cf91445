using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotFleet.LoadBench.Api;

// The few /v1 shapes the harness reads (docs/job-api.md, "Producers and operators"). Declared here rather than taken
// from BotFleet.JobApi so the harness keeps driving the product only through its wire contract.

internal sealed record SubmitJob(string Op, JsonElement Payload);

internal sealed record SubmitBatch(IReadOnlyList<SubmitJob> Jobs);

internal sealed record SubmitAnswer(IReadOnlyList<string> Ids);

internal sealed record JobCounts(long Pending, long Leased, long Completed, long Dead)
{
    public long Finished => Completed + Dead;
}

internal sealed record BotCountsWire(int Registered, int Active);

internal sealed record StatsAnswer(JobCounts Jobs, BotCountsWire? Bots);

internal sealed record JobAttemptWire(int Attempt, DateTimeOffset Started, DateTimeOffset? Ended, string? Outcome);

internal sealed record JobWire(
    string Id,
    string Status,
    int Attempt,
    IReadOnlyList<JobAttemptWire>? Attempts,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

internal static class JobApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
