using System.Text.Json;
using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Requests;

/// <summary>One item of a heartbeat batch: a valid heartbeat with its bot and token, or why it is invalid.</summary>
/// <param name="BotId">The item's bot_id when it had a usable one.</param>
internal sealed record ParsedHeartbeatBatchItem(string? BotId, string? AccessToken, ParsedHeartbeat? Heartbeat, string? Invalid);

/// <summary>
/// Validates POST /v1/bots/heartbeats. Only the envelope can fail the request (400: "heartbeats" missing, not an
/// array, not 1..1,000 items, or more than 10,000 running jobs in all); a bad item is "invalid" in its own result.
/// </summary>
internal static class HeartbeatBatchRequestParser
{
    public static List<ParsedHeartbeatBatchItem>? Parse(JsonElement root, RequestErrors errors)
    {
        if (new JsonFields(root, string.Empty, errors).RequiredBatch("heartbeats", RequestLimits.BatchHeartbeats) is not { } heartbeats)
        {
            return null;
        }

        var items = heartbeats.EnumerateArray().Select(ParseItem).ToList();
        var running = items.Sum(item => item.Heartbeat?.RunningJobIds.Count ?? 0);
        if (running > RequestLimits.BatchHeartbeatRunningJobs)
        {
            errors.Add("heartbeats", $"May list at most {RequestLimits.BatchHeartbeatRunningJobs} running jobs in all, got {running}; send fewer heartbeats per batch.");
            return null;
        }

        return items;
    }

    private static ParsedHeartbeatBatchItem ParseItem(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new(null, null, null, $"Must be a JSON object, got {JsonKinds.Describe(item.ValueKind)}.");
        }

        var errors = new RequestErrors();
        var fields = new JsonFields(item, string.Empty, errors);
        var botId = fields.RequiredString("bot_id", RequestLimits.NameLength);
        var accessToken = fields.RequiredString("access_token", RequestLimits.AccessTokenLength);
        var heartbeat = HeartbeatRequestParser.Parse(item, errors);
        return errors.HasErrors
            ? new(botId, null, null, errors.Describe())
            : new(botId, accessToken, heartbeat, null);
    }
}
