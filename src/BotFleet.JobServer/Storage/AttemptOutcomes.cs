namespace BotFleet.JobServer.Storage;

/// <summary>Values of job_attempts.outcome.</summary>
public static class AttemptOutcomes
{
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>The lease expired before the bot reported.</summary>
    public const string Lost = "lost";

    /// <summary>The bot stopped the attempt because an operator cancelled the job.</summary>
    public const string Cancelled = "cancelled";
}
