namespace BotFleet.JobServer;

/// <summary>
/// The event ids of the logs of the job server (its API, stores, leases, retention, telemetry), all in 1000–1999: one
/// home per assembly, so that no two logs share an id, here or in another BotFleet assembly (they may all log in one
/// process). Operators filter logs by these ids.
/// </summary>
public static class JobServerLogEvents
{
    public const int First = 1000;

    public const int Last = 1999;

    public const int BotRegistered = 1000;
    public const int BotRequestRejected = 1001;
    public const int AssignmentChanged = 1002;
    public const int AssignmentDelivered = 1003;
    public const int RequestBodyRefused = 1050;
    public const int SqliteJobStoreSchemaReady = 1100;
    public const int SqliteJobStoreLeasesExpired = 1101;
    public const int SqliteJobStoreSchemaMigrated = 1102;
    public const int JobsClaimed = 1200;
    public const int JobReported = 1201;
    public const int ReportConflict = 1202;
    public const int JobsSubmitted = 1203;
    public const int JobRequestRejected = 1204;
    public const int BatchReported = 1205;
    public const int AccessRefused = 1300;
    public const int PostgreSqlJobStoreSchemaReady = 1400;
    public const int PostgreSqlJobStoreLeasesExpired = 1401;
    public const int PostgreSqlJobStoreSchemaMigrated = 1402;
    public const int StatusCountFoldFailed = 1410;
    public const int LeaseSweepFailed = 1500;
    public const int RateLimited = 1600;
    public const int ArrivalListenerStarted = 1700;
    public const int ArrivalListenerFailed = 1701;
    public const int JobDead = 1800;
    public const int JobsRequeued = 1801;
    public const int JobsDiscarded = 1802;
    public const int CancelRequested = 1803;
    public const int JobCancelled = 1804;
    public const int JobsPruned = 1820;
    public const int PruneFailed = 1821;
    public const int QueueGaugeRefreshFailed = 1830;
    public const int StartRefused = 1900;
}
