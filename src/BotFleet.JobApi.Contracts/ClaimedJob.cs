using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotFleet.JobApi.Contracts;

/// <summary>
/// One job of a claim answer, as docs/job-api.md shows it. The server writes it; a bot reads each job of the answer
/// into it through <see cref="ClaimedJobParser"/>, so one malformed job fails alone rather than the whole batch.
/// </summary>
/// <param name="LeaseUntil">When the lease ends; the server always sends it, and a bot copes without it.</param>
/// <param name="Metadata">The server always sends it; the bot does not read it (it runs the job without).</param>
/// <param name="TraceParent">
/// The W3C traceparent stored when the job was submitted (<see cref="JobTraceContext"/>; an addition to job API v1,
/// absent when the submit was not traced): the bot's spans for the job continue that trace.
/// </param>
public sealed record ClaimedJob(
    string Id,
    string Op,
    JsonElement Payload,
    DateTimeOffset? LeaseUntil,
    int Attempt,
    ClaimedJobMetadata? Metadata = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? TraceParent = null);
