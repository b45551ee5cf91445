namespace BotFleet.Scheduling;

/// <summary>
/// The event ids of the logs of the bots (scheduler, grains, fleet, executor, heartbeat clock), all in 2000–2999: one
/// home per assembly, so that no two logs share an id, here or in another BotFleet assembly (they may all log in one
/// process). Operators filter logs by these ids.
/// </summary>
public static class SchedulingLogEvents
{
    public const int First = 2000;

    public const int Last = 2999;

    public const int BotRegistered = 2001;
    public const int RegistrationFailed = 2002;
    public const int ClaimFailed = 2003;
    public const int MalformedJobSkipped = 2004;
    public const int MalformedJobRejected = 2005;
    public const int WorkerCallFailed = 2006;
    public const int ReportsDeferred = 2007;
    public const int OutboxFlushStopped = 2008;
    public const int ReportRefused = 2009;
    public const int ReportRejected = 2010;
    public const int ReportQuarantined = 2011;
    public const int OutboxSaveFailed = 2012;
    public const int HeartbeatFailed = 2013;
    public const int AssignmentChanged = 2014;
    public const int ReportBatchUnsupported = 2015;
    public const int ReportItemRefused = 2016;
    public const int SettleFailed = 2017;
    public const int JobRefused = 2018;
    public const int ResultRefused = 2019;
    public const int WorkerCallNotSent = 2020;
    public const int JobCancelRequested = 2021;
    public const int BotFaultDetail = 2022;
    public const int DeliveryFaultDetail = 2023;
    public const int BotResumed = 2101;
    public const int DrainTimedOut = 2102;
    public const int TickCrashed = 2103;
    public const int HeartbeatBeatFailed = 2120;
    public const int FleetRebalanced = 2150;
    public const int BotUnreachable = 2151;
    public const int BotStartFailed = 2152;
    public const int SiloLeft = 2160;
    public const int BotsResumed = 2161;
    public const int BotsNotYetResumed = 2162;
    public const int ResumeFailed = 2163;
    public const int ResumeLeftToReminders = 2164;
    public const int FleetRebalancedOnMembershipChange = 2165;
    public const int RebalanceFailed = 2166;
    public const int ClusterStarted = 2167;
    public const int HeartbeatBatchUnsupported = 2180;
    public const int HeartbeatBatchTooLarge = 2181;
    public const int HeartbeatBatchFailed = 2182;
    public const int JobTimedOut = 2201;
    public const int JobFailed = 2202;
    public const int JobRejected = 2203;
}
