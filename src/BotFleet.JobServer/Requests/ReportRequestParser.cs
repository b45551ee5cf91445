using System.Text.Json;

namespace BotFleet.JobServer.Requests;

/// <summary>A complete report that passed validation; the result is compact JSON or null.</summary>
internal sealed record ParsedComplete(string InstanceId, string? ResultJson);

/// <summary>A fail report that passed validation.</summary>
internal sealed record ParsedFail(string InstanceId, string Error, TimeSpan? RetryAfter);

/// <summary>Validates POST /v1/jobs/{job_id}/complete and /fail.</summary>
internal static class ReportRequestParser
{
    public static ParsedComplete? ParseComplete(JsonElement root, RequestErrors errors, int maxPayloadBytes)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var instanceId = fields.RequiredString("instance_id", RequestLimits.NameLength);
        string? resultJson = null;
        if (fields.OptionalValue("result") is { } result)
        {
            resultJson = fields.Compact("result", result, maxPayloadBytes);
        }

        return errors.HasErrors ? null : new ParsedComplete(instanceId!, resultJson);
    }

    public static ParsedFail? ParseFail(JsonElement root, RequestErrors errors)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var instanceId = fields.RequiredString("instance_id", RequestLimits.NameLength);
        // An empty message is still a failure worth recording; refusing it would make the bot drop the report.
        var error = fields.RequiredString("error", RequestLimits.ErrorLength, allowEmpty: true);
        var retryAfterMs = fields.OptionalLong("retry_after_ms", 0, long.MaxValue / TimeSpan.TicksPerMillisecond);
        return errors.HasErrors
            ? null
            : new ParsedFail(instanceId!, error!, retryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
    }
}
