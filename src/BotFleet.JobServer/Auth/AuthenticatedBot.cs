using Microsoft.AspNetCore.Http;

namespace BotFleet.JobServer.Auth;

/// <summary>The bot whose token a request carried; set on the request's features by the bot token filter.</summary>
internal sealed record AuthenticatedBot(string BotId)
{
    /// <summary>The caller of an endpoint behind <see cref="JobApiAccess.RequireBotToken"/>.</summary>
    public static AuthenticatedBot Of(HttpContext context) =>
        context.Features.Get<AuthenticatedBot>()
        ?? throw new InvalidOperationException("The endpoint reads the calling bot but has no bot token filter.");

    /// <summary>Whether this bot may act for <paramref name="botId"/>: only for itself.</summary>
    public bool Owns(string botId) => string.Equals(BotId, botId, StringComparison.Ordinal);
}
