using System.Text.Json;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Requests;

/// <summary>Validates PUT /v1/bots/{bot_id}/assignment: operations, max_concurrency, paused; each optional, at least one.</summary>
internal static class AssignmentRequestParser
{
    public const int MaxConcurrency = 1_000;

    public static AssignmentUpdate? Parse(JsonElement root, RequestErrors errors)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var operations = fields.Has("operations") ? fields.RequiredStringList("operations", RequestLimits.Operations, RequestLimits.NameLength) : null;
        var maxConcurrency = fields.OptionalInt("max_concurrency", 1, MaxConcurrency);
        var paused = fields.OptionalBool("paused");
        if (!fields.Has("operations") && !fields.Has("max_concurrency") && !fields.Has("paused"))
        {
            errors.Add(JsonBody.Field, "Set at least one of operations, max_concurrency, paused.");
        }

        return errors.HasErrors ? null : new AssignmentUpdate(operations, maxConcurrency, paused);
    }
}
