using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotFleet.JobServer.Responses;

/// <summary>One job of a claim answer, as docs/job-api.md shows it.</summary>
/// <param name="TraceParent">
/// The W3C traceparent stored when the job was submitted (an addition to job API v1; absent when the submit was not
/// traced): the bot's spans for the job continue that trace.
/// </param>
public sealed record ClaimedJobWire(
    string Id,
    string Op,
    JsonElement Payload,
    DateTimeOffset LeaseUntil,
    int Attempt,
    ClaimedJobMetadata Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? TraceParent = null);
