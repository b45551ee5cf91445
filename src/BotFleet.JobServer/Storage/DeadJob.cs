namespace BotFleet.JobServer.Storage;

/// <summary>A job that has just gone dead: its last attempt failed or was lost and it had none left.</summary>
public sealed record DeadJob(string Id, string Op, int Attempts, string? Error);
