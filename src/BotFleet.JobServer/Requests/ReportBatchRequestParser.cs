using System.Text.Json;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Requests;

/// <summary>One item of a report batch: a valid report, or why it is invalid.</summary>
/// <param name="JobId">The item's job_id when it had a usable one.</param>
internal sealed record ParsedBatchItem(string? JobId, ParsedComplete? Complete, ParsedFail? Fail, string? Invalid);

/// <summary>
/// Validates POST /v1/jobs/reports. Only the envelope can fail the request (400: "reports" missing,
/// not an array, or not 1..1,000 items); a bad item is reported as "invalid" in its own result.
/// </summary>
internal static class ReportBatchRequestParser
{
    public static List<ParsedBatchItem>? Parse(JsonElement root, RequestErrors errors, int maxPayloadBytes)
    {
        if (new JsonFields(root, string.Empty, errors).RequiredBatch("reports", RequestLimits.BatchReports) is not { } reports)
        {
            return null;
        }

        return reports.EnumerateArray().Select(item => ParseItem(item, maxPayloadBytes)).ToList();
    }

    private static ParsedBatchItem ParseItem(JsonElement item, int maxPayloadBytes)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new(null, null, null, $"Must be a JSON object, got {JsonKinds.Describe(item.ValueKind)}.");
        }

        var errors = new RequestErrors();
        var fields = new JsonFields(item, string.Empty, errors);
        var jobId = fields.RequiredString("job_id", RequestLimits.NameLength);
        var action = fields.RequiredString("action", RequestLimits.NameLength);
        ParsedComplete? complete = null;
        ParsedFail? fail = null;
        switch (action)
        {
            case ReportActions.Complete:
                complete = ReportRequestParser.ParseComplete(item, errors, maxPayloadBytes);
                break;
            case ReportActions.Fail:
                fail = ReportRequestParser.ParseFail(item, errors);
                break;
            case null:
                break;
            default:
                errors.Add("action", $"Must be {ReportActions.Complete} or {ReportActions.Fail}.");
                break;
        }

        return errors.HasErrors
            ? new(jobId, null, null, errors.Describe())
            : new(jobId, complete, fail, null);
    }
}
