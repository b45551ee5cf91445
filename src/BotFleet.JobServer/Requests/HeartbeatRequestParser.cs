using System.Text.Json;

namespace BotFleet.JobServer.Requests;

/// <summary>A heartbeat that passed validation.</summary>
internal sealed record ParsedHeartbeat(string InstanceId, List<string> RunningJobIds);

/// <summary>Validates PUT /v1/bots/{bot_id}/heartbeat.</summary>
internal static class HeartbeatRequestParser
{
    public static ParsedHeartbeat? Parse(JsonElement root, RequestErrors errors)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var instanceId = fields.RequiredString("instance_id", RequestLimits.NameLength);

        var running = new List<string>();
        if (fields.OptionalArray("running", RequestLimits.RunningJobs) is { } items)
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var path = $"running[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(path, $"Must be a JSON object, got {JsonFields.Describe(item.ValueKind)}.");
                    continue;
                }

                var job = new JsonFields(item, path, errors);
                var jobId = job.RequiredString("job_id", RequestLimits.NameLength);
                job.OptionalString("op", RequestLimits.NameLength);
                job.OptionalLong("elapsed_ms", 0, long.MaxValue);
                job.OptionalTimestamp("lease_until");
                if (jobId is not null)
                {
                    running.Add(jobId);
                }
            }
        }

        if (fields.OptionalObject("metrics") is { } metrics)
        {
            var metricFields = new JsonFields(metrics, "metrics", errors);
            metricFields.OptionalNumber("cpu", 0, 1);
            metricFields.OptionalLong("mem_mb", 0, long.MaxValue);
        }

        return errors.HasErrors ? null : new ParsedHeartbeat(instanceId!, running);
    }
}
