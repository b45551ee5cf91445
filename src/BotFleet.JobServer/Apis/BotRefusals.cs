namespace BotFleet.JobServer.Apis;

/// <summary>The words of the refusals every bot endpoint shares, so a single call and a batch item read alike.</summary>
internal static class BotRefusals
{
    /// <summary>A valid token used for another bot (403, or "forbidden" in a batch).</summary>
    public static string NotTheTokensBot(string botId) => $"The access token is not for bot '{botId}'.";

    /// <summary>No bot of that id (404, or "not_found" in a batch).</summary>
    public static string NotRegistered(string botId) => $"Bot '{botId}' is not registered.";
}
