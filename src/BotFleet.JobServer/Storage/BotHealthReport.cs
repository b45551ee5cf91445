namespace BotFleet.JobServer.Storage;

/// <summary>What a bot's latest heartbeat said of it: reports waiting in its outbox, and the error it is stuck on (if any).</summary>
public sealed record BotHealthReport(int OutboxSize, string? LastError);
