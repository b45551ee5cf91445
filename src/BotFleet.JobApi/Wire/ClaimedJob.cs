using System.Text.Json;

namespace BotFleet.JobApi.Wire;

/// <summary>A claimed job that passed validation: it has an id, an operation and a payload object.</summary>
public sealed record ClaimedJob(string Id, string Op, JsonElement Payload, int Attempt, DateTimeOffset? LeaseUntil);
