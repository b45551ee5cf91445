using System.Text.Json;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Requests;

/// <summary>A heartbeat that passed validation.</summary>
/// <param name="Progress">The progress sent for some of the running jobs; null when none was.</param>
/// <param name="Health">The bot's "health", when it sent one.</param>
internal sealed record ParsedHeartbeat(string InstanceId, List<string> RunningJobIds, Dictionary<string, StoredProgress>? Progress = null, BotHealthReport? Health = null)
{
    public BotHeartbeat ToStored(string botId) => new(botId, InstanceId, RunningJobIds, Progress, Health);
}

/// <summary>Validates PUT /v1/bots/{bot_id}/heartbeat.</summary>
internal static class HeartbeatRequestParser
{
    public static ParsedHeartbeat? Parse(JsonElement root, RequestErrors errors)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var instanceId = fields.RequiredString("instance_id", RequestLimits.NameLength);

        var running = new List<string>();
        Dictionary<string, StoredProgress>? progress = null;
        if (fields.OptionalArray("running", RequestLimits.RunningJobs) is { } items)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var path = $"running[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(path, $"Must be a JSON object, got {JsonKinds.Describe(item.ValueKind)}.");
                    continue;
                }

                var job = new JsonFields(item, path, errors);
                var jobId = job.RequiredString("job_id", RequestLimits.NameLength);
                job.OptionalString("op", RequestLimits.NameLength);
                job.OptionalLong("elapsed_ms", 0, long.MaxValue);
                job.OptionalTimestamp("lease_until");
                var jobProgress = ParseProgress(job);
                if (jobId is not null)
                {
                    running.Add(jobId);
                    if (jobProgress is not null)
                    {
                        (progress ??= new(StringComparer.Ordinal))[jobId] = jobProgress;
                    }
                }
            }
        }

        if (fields.OptionalObject("metrics") is { } metrics)
        {
            var metricFields = new JsonFields(metrics, "metrics", errors);
            metricFields.OptionalNumber("cpu", 0, 1);
            metricFields.OptionalLong("mem_mb", 0, long.MaxValue);
        }

        var health = ParseHealth(fields);
        return errors.HasErrors ? null : new ParsedHeartbeat(instanceId!, running, progress, health);
    }

    /// <summary>The bot's optional "health": {"outbox_size": 0.., "last_error"?: up to 1,000 characters}.</summary>
    private static BotHealthReport? ParseHealth(JsonFields heartbeat)
    {
        if (heartbeat.OptionalObject("health") is not { } value)
        {
            return null;
        }

        var fields = new JsonFields(value, heartbeat.Path("health"), heartbeat.Errors);
        var outboxSize = fields.RequiredInt("outbox_size", 0, int.MaxValue);
        var lastError = fields.OptionalString("last_error", BotHealth.MaxLastErrorLength);
        return outboxSize is { } size ? new BotHealthReport(size, lastError) : null;
    }

    /// <summary>A running job's optional "progress": {"percent": 0..100, "message"?: up to 200 characters}.</summary>
    private static StoredProgress? ParseProgress(JsonFields job)
    {
        if (job.OptionalObject("progress") is not { } value)
        {
            return null;
        }

        var fields = new JsonFields(value, job.Path("progress"), job.Errors);
        var percent = fields.RequiredNumber("percent", 0, 100);
        var message = fields.OptionalString("message", RequestLimits.ProgressMessageLength);
        return percent is { } p ? new StoredProgress(p, message) : null;
    }
}
