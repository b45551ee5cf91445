using System.Security.Cryptography;
using System.Text;
using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Auth;

/// <summary>The outcome of checking a bearer token: the bot it belongs to, or why it was refused (401).</summary>
internal readonly record struct BotAuthentication(string? BotId, string? Failure, bool Expired)
{
    public static BotAuthentication Refused(string failure, bool expired = false) => new(null, failure, expired);
}

/// <summary>
/// Checks "Authorization: Bearer &lt;access_token&gt;" against the bot's stored token hash and expiry. The secret is
/// 256 random bits, so one SHA-256 per request is enough (no slow KDF needed); a token verified recently is taken
/// from <see cref="BotTokenCache"/> without reading the store.
/// </summary>
internal sealed class BotAuthenticator(IJobStore store, BotTokenCache cache, TimeProvider timeProvider)
{
    // Unknown bot, a token of another format and a wrong secret all get the same answer.
    private const string UnknownToken = "The access token is not valid; register again.";

    public Task<BotAuthentication> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (!BotTokens.TryReadBearer(authorizationHeader, out var token))
        {
            return Task.FromResult(BotAuthentication.Refused("An 'Authorization: Bearer <access_token>' header is required."));
        }

        return BotTokens.TryParse(token, out var botId, out var secret)
            ? VerifyAsync(botId, secret, cancellationToken)
            : Task.FromResult(BotAuthentication.Refused(UnknownToken));
    }

    /// <summary>Checks an access token carried in a body (a batched heartbeat), as the header's would be.</summary>
    public Task<BotAuthentication> AuthenticateTokenAsync(string accessToken, CancellationToken cancellationToken) =>
        BotTokens.TryParse(accessToken, out var botId, out var secret)
            ? VerifyAsync(botId, secret, cancellationToken)
            : Task.FromResult(BotAuthentication.Refused(UnknownToken));

    private async Task<BotAuthentication> VerifyAsync(string botId, string secret, CancellationToken cancellationToken)
    {
        var hash = BotTokens.Hash(secret);
        if (cache.IsVerified(botId, hash))
        {
            return new(botId, null, false);
        }

        var credentials = await store.GetBotCredentialsAsync(botId, cancellationToken);
        if (credentials is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(hash), Encoding.UTF8.GetBytes(credentials.AccessTokenHash)))
        {
            return BotAuthentication.Refused(UnknownToken);
        }

        if (timeProvider.GetUtcNow() >= credentials.TokenExpiresAt)
        {
            return BotAuthentication.Refused("The access token has expired; register again.", expired: true);
        }

        cache.Remember(credentials.BotId, hash, credentials.TokenExpiresAt);
        return new(credentials.BotId, null, false);
    }
}
