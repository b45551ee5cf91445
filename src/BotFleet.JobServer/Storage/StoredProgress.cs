namespace BotFleet.JobServer.Storage;

/// <summary>How far a job's attempt is, as the bot running it last reported with a heartbeat.</summary>
/// <param name="Percent">0 to 100.</param>
public sealed record StoredProgress(double Percent, string? Message);
