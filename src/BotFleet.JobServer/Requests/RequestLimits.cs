using BotFleet.JobApi.Contracts;

namespace BotFleet.JobServer.Requests;

/// <summary>Bounds on request fields, so one request can never ask the server for unbounded work.</summary>
internal static class RequestLimits
{
    public const int NameLength = 200;

    /// <summary>A running job's progress message (a heartbeat's running[].progress.message).</summary>
    public const int ProgressMessageLength = JobProgress.MaxMessageLength;

    /// <summary>An access token in a body: a bot id (a name) and its secret.</summary>
    public const int AccessTokenLength = 512;
    public const int VersionLength = 64;
    public const int Operations = 100;
    public const int ClaimLimit = 100;

    /// <summary>Longest long poll of a claim (wait_ms), in milliseconds.</summary>
    public const int ClaimWaitMs = 30_000;
    public const int RunningJobs = 1_000;
    public const int BatchJobs = 1_000;
    public const int BatchReports = 1_000;
    public const int BatchHeartbeats = 1_000;

    /// <summary>Running jobs across all heartbeats of one batch, so a batch asks for no more lease updates than ten full heartbeats.</summary>
    public const int BatchHeartbeatRunningJobs = 10_000;
    public const int MaxAttempts = 100;
    public const int ErrorLength = 1_000_000;
    public const int ListLimit = 1_000;
    public const int DefaultListLimit = 100;
}
