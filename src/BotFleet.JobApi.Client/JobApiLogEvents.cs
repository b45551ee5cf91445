namespace BotFleet.JobApi.Client;

/// <summary>
/// The event ids of the logs of the job API client, all in 5000–5999: one home per assembly, so that no two logs
/// share an id, here or in another BotFleet assembly (they may all log in one process). Operators filter logs by
/// these ids.
/// </summary>
public static class JobApiLogEvents
{
    public const int First = 5000;

    public const int Last = 5999;

    public const int CallUnanswered = 5001;
    public const int CallRefused = 5002;
}
