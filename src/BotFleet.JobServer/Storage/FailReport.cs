namespace BotFleet.JobServer.Storage;

/// <param name="RetryAfter">The bot's wish for the retry delay; null lets the server back off.</param>
public sealed record FailReport(string JobId, string InstanceId, string Error, TimeSpan? RetryAfter);
