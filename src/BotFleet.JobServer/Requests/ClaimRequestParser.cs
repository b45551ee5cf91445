using System.Text.Json;

namespace BotFleet.JobServer.Requests;

/// <summary>A claim that passed validation.</summary>
/// <param name="WaitMs">How long the claim may wait for a job when none is ready (long poll); 0 answers at once.</param>
/// <param name="ClaimId">The bot's id for this claim, so a repeat of it gets the same jobs; null when it sent none.</param>
internal sealed record ParsedClaim(string BotId, List<string> Operations, int Limit, int WaitMs, string? ClaimId = null);

/// <summary>Validates POST /v1/jobs/claim.</summary>
internal static class ClaimRequestParser
{
    public static ParsedClaim? Parse(JsonElement root, RequestErrors errors, int defaultLimit)
    {
        var fields = new JsonFields(root, string.Empty, errors);
        var botId = fields.RequiredString("bot_id", RequestLimits.NameLength);
        var operations = fields.RequiredStringList("operations", RequestLimits.Operations, RequestLimits.NameLength);
        var limit = fields.Has("limit") ? fields.OptionalInt("limit", 1, RequestLimits.ClaimLimit) : defaultLimit;
        var waitMs = fields.OptionalInt("wait_ms", 0, RequestLimits.ClaimWaitMs);
        var claimId = fields.OptionalString("claim_id", RequestLimits.NameLength);
        return errors.HasErrors ? null : new ParsedClaim(botId!, operations!, limit!.Value, waitMs ?? 0, claimId);
    }
}
