namespace BotFleet.JobServer.Storage;

/// <summary>Claim order: higher values are claimed first. Stored as the integer.</summary>
public enum JobPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
}
