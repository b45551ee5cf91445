namespace BotFleet.JobServer.Storage;

/// <param name="Created">True for the first registration of the bot_key.</param>
public sealed record BotRegistrationResult(string BotId, bool Created, BotAssignmentState Assignment);
