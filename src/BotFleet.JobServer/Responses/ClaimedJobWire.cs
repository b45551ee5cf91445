using System.Text.Json;

namespace BotFleet.JobServer.Responses;

/// <summary>One job of a claim answer, as docs/job-api.md shows it.</summary>
public sealed record ClaimedJobWire(
    string Id,
    string Op,
    JsonElement Payload,
    DateTimeOffset LeaseUntil,
    int Attempt,
    ClaimedJobMetadata Metadata);
