using System.Text.Json;

namespace BotFleet.JobApi.Wire;

/// <summary>A claimed job that passed validation: it has an id, an operation and a payload object.</summary>
/// <param name="TraceParent">The trace context the server stored at submit (<see cref="JobTraceContext"/>), if any.</param>
public sealed record ClaimedJob(string Id, string Op, JsonElement Payload, int Attempt, DateTimeOffset? LeaseUntil, string? TraceParent = null);
