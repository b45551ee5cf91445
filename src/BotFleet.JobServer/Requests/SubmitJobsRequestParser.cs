using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Requests;

/// <summary>Validates POST /v1/jobs: one job object, or {"jobs": [...]} of up to 1,000.</summary>
internal static class SubmitJobsRequestParser
{
    /// <param name="traceParent">The submit request's trace context, stored with every job of it.</param>
    public static List<NewJob>? Parse(JsonElement root, RequestErrors errors, JobServerOptions options, string? traceParent = null)
    {
        if (!root.TryGetProperty("jobs", out var batch))
        {
            var single = ParseJob(new JsonFields(root, string.Empty, errors), options, traceParent);
            return errors.HasErrors ? null : [single!];
        }

        if (batch.ValueKind != JsonValueKind.Array)
        {
            errors.Add("jobs", $"Must be an array of jobs, got {JsonKinds.Describe(batch.ValueKind)}.");
            return null;
        }

        var count = batch.GetArrayLength();
        if (count == 0 || count > RequestLimits.BatchJobs)
        {
            errors.Add("jobs", $"Must hold 1 to {RequestLimits.BatchJobs} jobs, got {count}.");
            return null;
        }

        var jobs = new List<NewJob>(count);
        var index = 0;
        foreach (var item in batch.EnumerateArray())
        {
            var path = $"jobs[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"Must be a JSON object, got {JsonKinds.Describe(item.ValueKind)}.");
                continue;
            }

            if (ParseJob(new JsonFields(item, path, errors), options, traceParent) is { } job)
            {
                jobs.Add(job);
            }
        }

        return errors.HasErrors ? null : jobs;
    }

    private static NewJob? ParseJob(JsonFields fields, JobServerOptions options, string? traceParent)
    {
        var op = fields.RequiredString("op", RequestLimits.NameLength);
        var payload = fields.RequiredObject("payload");
        var payloadJson = payload is { } p ? fields.Compact("payload", p, options.MaxPayloadBytes) : null;

        var priority = JobPriority.Normal;
        if (fields.OptionalString("priority", RequestLimits.NameLength) is { } priorityName
            && !JobPriorityNames.TryParse(priorityName, out priority))
        {
            fields.Errors.Add(fields.Path("priority"), $"Must be one of {JobPriorityNames.High}, {JobPriorityNames.Normal}, {JobPriorityNames.Low}.");
        }

        var maxAttempts = fields.OptionalInt("max_attempts", 1, RequestLimits.MaxAttempts) ?? options.DefaultMaxAttempts;
        var runAfter = fields.OptionalTimestamp("run_after");
        var idempotencyKey = fields.OptionalString("idempotency_key", RequestLimits.NameLength);

        return op is null || payloadJson is null
            ? null
            : new NewJob(op, payloadJson, priority, maxAttempts, runAfter, idempotencyKey, traceParent);
    }
}
