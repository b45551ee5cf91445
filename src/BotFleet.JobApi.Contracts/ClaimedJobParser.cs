using System.Text.Json;

namespace BotFleet.JobApi.Contracts;

/// <summary>The result of checking one raw job from a claim answer.</summary>
public readonly record struct ClaimedJobParseResult(ClaimedJob? Job, string? JobId, string? Error)
{
    public bool IsValid => Job is not null;
}

/// <summary>
/// Checks one job of a claim answer field by field, so a malformed job becomes a precise
/// error (reported against its id where it has one) instead of failing the whole batch.
/// </summary>
public static class ClaimedJobParser
{
    public static ClaimedJobParseResult Parse(JsonElement raw)
    {
        if (raw.ValueKind != JsonValueKind.Object)
        {
            return new(null, null, $"malformed job: expected a JSON object, got {JsonKinds.Describe(raw.ValueKind)}");
        }

        string? id = null;
        if (!raw.TryGetProperty("id", out var idElement))
        {
            return new(null, null, "malformed job: field 'id' is missing");
        }

        if (idElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(idElement.GetString()))
        {
            return new(null, null, $"malformed job: field 'id' must be a non-empty string, got {JsonKinds.Describe(idElement.ValueKind)}");
        }

        id = idElement.GetString()!;

        if (!raw.TryGetProperty("op", out var opElement))
        {
            return new(null, id, "malformed job: field 'op' is missing");
        }

        if (opElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(opElement.GetString()))
        {
            return new(null, id, $"malformed job: field 'op' must be a non-empty string, got {JsonKinds.Describe(opElement.ValueKind)}");
        }

        if (!raw.TryGetProperty("payload", out var payload))
        {
            return new(null, id, "malformed job: field 'payload' is missing");
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            return new(null, id, $"malformed job: field 'payload' must be an object, got {JsonKinds.Describe(payload.ValueKind)}");
        }

        var attempt = 1;
        if (raw.TryGetProperty("attempt", out var attemptElement) && attemptElement.ValueKind != JsonValueKind.Null)
        {
            if (attemptElement.ValueKind != JsonValueKind.Number || !attemptElement.TryGetInt32(out attempt) || attempt < 1)
            {
                return new(null, id, "malformed job: field 'attempt' must be an integer >= 1");
            }
        }

        DateTimeOffset? leaseUntil = null;
        if (raw.TryGetProperty("lease_until", out var leaseElement) && leaseElement.ValueKind != JsonValueKind.Null)
        {
            if (leaseElement.ValueKind != JsonValueKind.String || !leaseElement.TryGetDateTimeOffset(out var lease))
            {
                return new(null, id, "malformed job: field 'lease_until' must be an ISO-8601 timestamp");
            }

            leaseUntil = lease;
        }

        // Trace context is advice: a value that is not a string is ignored, never a reason to refuse the job.
        var traceParent = raw.TryGetProperty("trace_parent", out var traceElement) && traceElement.ValueKind == JsonValueKind.String
            ? traceElement.GetString()
            : null;

        // The payload stays a view into the claim answer's element (which owns its memory): no copy per job.
        return new(new ClaimedJob(id, opElement.GetString()!, payload, leaseUntil, attempt, TraceParent: traceParent), id, null);
    }
}
