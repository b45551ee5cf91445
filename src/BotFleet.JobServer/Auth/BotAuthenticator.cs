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
internal sealed class BotAuthenticator(IBotRegistry store, BotTokenCache cache, TimeProvider timeProvider)
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

    /// <summary>
    /// Checks access tokens carried in a body (a batched heartbeat), each as the header's would be; one answer per
    /// token in order. The store is read once for every token the cache does not vouch for.
    /// </summary>
    public async Task<IReadOnlyList<BotAuthentication>> AuthenticateTokensAsync(IReadOnlyList<string> accessTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessTokens);
        var answers = new BotAuthentication[accessTokens.Count];
        List<(int Index, string BotId, string Hash)>? unverified = null;
        for (var i = 0; i < accessTokens.Count; i++)
        {
            if (!BotTokens.TryParse(accessTokens[i], out var botId, out var secret))
            {
                answers[i] = BotAuthentication.Refused(UnknownToken);
                continue;
            }

            var hash = BotTokens.Hash(secret);
            if (cache.IsVerified(botId, hash))
            {
                answers[i] = new(botId, null, false);
            }
            else
            {
                (unverified ??= []).Add((i, botId, hash));
            }
        }

        if (unverified is not null)
        {
            var credentials = await store.GetBotCredentialsAsync(unverified.Select(u => u.BotId).ToHashSet(StringComparer.Ordinal), cancellationToken);
            foreach (var (index, botId, hash) in unverified)
            {
                answers[index] = Check(credentials.GetValueOrDefault(botId), hash);
            }
        }

        return answers;
    }

    private async Task<BotAuthentication> VerifyAsync(string botId, string secret, CancellationToken cancellationToken)
    {
        var hash = BotTokens.Hash(secret);
        if (cache.IsVerified(botId, hash))
        {
            return new(botId, null, false);
        }

        var credentials = await store.GetBotCredentialsAsync([botId], cancellationToken);
        return Check(credentials.GetValueOrDefault(botId), hash);
    }

    /// <summary>The answer for a token whose hash was read from the store (null: the bot is unknown); a good one is cached.</summary>
    private BotAuthentication Check(BotCredentials? credentials, string hash)
    {
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
