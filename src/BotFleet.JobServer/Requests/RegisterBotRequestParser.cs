using System.Text.Json;
using System.Text.RegularExpressions;

namespace BotFleet.JobServer.Requests;

/// <summary>A register request that passed validation.</summary>
internal sealed record ParsedRegistration(
    string BotKey,
    string InstanceId,
    string Version,
    List<string> Capabilities,
    int? MaxConcurrency,
    string? ResourcesJson,
    string? MetaJson);

/// <summary>Validates POST /v1/bots/register.</summary>
internal static partial class RegisterBotRequestParser
{
    public static ParsedRegistration? Parse(JsonElement root, RequestErrors errors, int maxPayloadBytes)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var botKey = fields.RequiredString("bot_key", RequestLimits.NameLength);
        var instanceId = fields.RequiredString("instance_id", RequestLimits.NameLength);
        if (instanceId is not null && !Guid.TryParse(instanceId, out _))
        {
            errors.Add("instance_id", "Must be a UUID.");
        }

        var version = fields.RequiredString("version", RequestLimits.VersionLength);
        if (version is not null && !SemanticVersion().IsMatch(version))
        {
            errors.Add("version", "Must be MAJOR.MINOR.PATCH, for example 1.4.0.");
        }

        var capabilities = fields.RequiredStringList("capabilities", RequestLimits.Operations, RequestLimits.NameLength);

        // The spec lists resources without marking it optional, but deployed bots may omit it; check it when present.
        string? resourcesJson = null;
        if (fields.OptionalObject("resources") is { } resources)
        {
            var resourceFields = new JsonFields(resources, "resources", errors);
            resourceFields.OptionalInt("cpu_cores", 1, int.MaxValue);
            resourceFields.OptionalInt("mem_mb", 128, int.MaxValue);
            resourcesJson = fields.Compact("resources", resources, maxPayloadBytes);
        }

        int? maxConcurrency = null;
        if (fields.OptionalObject("constraints") is { } constraints)
        {
            maxConcurrency = new JsonFields(constraints, "constraints", errors).OptionalInt("max_concurrency", 1, 10_000);
        }

        string? metaJson = null;
        if (fields.OptionalObject("meta") is { } meta)
        {
            metaJson = fields.Compact("meta", meta, maxPayloadBytes);
        }

        return errors.HasErrors
            ? null
            : new ParsedRegistration(botKey!, instanceId!, version!, capabilities!, maxConcurrency, resourcesJson, metaJson);
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();
}
