using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace BotFleet.JobServer.Auth;

/// <summary>
/// Bot access tokens: "{bot_id}.{secret}", the secret 256 random bits in base64url. Only the SHA-256 of
/// the secret is stored. The bot id prefix says whose credentials to check (the store looks bots up by
/// id, not by token), and lets the rate limiter tell bots apart before the token is checked. The store
/// assigns the bot id, so the secret is made (and hashed) before the id is known.
/// </summary>
internal static class BotTokens
{
    private const char Separator = '.';

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Issue(string botId, string secret) => botId + Separator + secret;

    /// <summary>Lowercase hex SHA-256 of the UTF-8 text, as the store keeps it.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Splits a token into the bot id it names and its secret; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> token, [NotNullWhen(true)] out string? botId, [NotNullWhen(true)] out string? secret)
    {
        botId = null;
        secret = null;
        var dot = token.IndexOf(Separator);
        if (dot <= 0 || dot == token.Length - 1 || dot > MaxBotIdLength)
        {
            return false;
        }

        botId = token[..dot].ToString();
        secret = token[(dot + 1)..].ToString();
        return true;
    }

    /// <summary>The bot id a bearer header's token names, unchecked; for partitioning only, never for access.</summary>
    public static bool TryReadBotId(string? authorizationHeader, [NotNullWhen(true)] out string? botId)
    {
        botId = null;
        return TryReadBearer(authorizationHeader, out var token) && TryParse(token, out botId, out _);
    }

    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header (scheme case-insensitive).</summary>
    public static bool TryReadBearer(string? authorizationHeader, out ReadOnlySpan<char> token)
    {
        const string scheme = "Bearer ";
        token = default;
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = authorizationHeader.AsSpan(scheme.Length).Trim();
        return !token.IsEmpty;
    }

    /// <summary>Longer "ids" are not ours; refusing them early keeps junk out of the rate limiter's partitions.</summary>
    private const int MaxBotIdLength = 200;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
