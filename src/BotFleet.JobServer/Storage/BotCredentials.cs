namespace BotFleet.JobServer.Storage;

/// <summary>What authenticating a bot's call needs: the hash of its current token and when that token expires.</summary>
public sealed record BotCredentials(string BotId, string AccessTokenHash, DateTimeOffset TokenExpiresAt);
