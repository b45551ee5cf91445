namespace BotFleet.JobServer.Storage;

/// <summary>A validated registration. Tokens arrive hashed: the store never sees a usable token.</summary>
public sealed record BotRegistration(
    string BotKey,
    string InstanceId,
    string Version,
    IReadOnlyList<string> Capabilities,
    int MaxConcurrency,
    string AccessTokenHash,
    string RefreshTokenHash,
    DateTimeOffset TokenExpiresAt,
    string? ResourcesJson,
    string? MetaJson);
