using System.ComponentModel.DataAnnotations;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>How bots tick and back off (configuration section "BotFleet:Scheduler").</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "BotFleet:Scheduler";

    /// <summary>Delay between ticks while there is work. Default 1 s; 10 ms to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "BotFleet:Scheduler:TickInterval must be between {1} and {2}.")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a busy bot waits for more slots to come free before it claims for only a few of them
    /// (half a batch free claims at once). Default 50 ms; 0 to 1 s. A freed slot idles at most this long, and a busy
    /// bot makes at most 20 small claims a second (at 5 ms, 200 small claims a second cost the server more than the jobs).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01", ErrorMessage = "BotFleet:Scheduler:RefillDelay must be between {1} and {2}.")]
    public TimeSpan RefillDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a claim may wait at the server for work when none is ready (long poll, wait_ms), on servers that
    /// offer it (config.max_claim_wait_ms; the shorter of the two applies). An idle bot then costs one request
    /// per wait and picks up a new job in milliseconds. Default 30 s; 0 (never wait) to 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "BotFleet:Scheduler:ClaimWait must be between {1} and {2}.")]
    public TimeSpan ClaimWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a bot waiting in its silo's idle line sleeps before it looks on its own. It is woken when its turn
    /// comes, so this only bounds a lost wake-up; each look is a grain turn, and 10,000 bots in line looking every 30 s
    /// were 333 turns a second of an idle silo. In a silo the bot's heartbeats notice the time (it keeps no timer while
    /// in line), so it looks within one heartbeat interval after it. Default 5 min; 1 s to 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "BotFleet:Scheduler:IdleLineRecheck must be between {1} and {2}.")]
    public TimeSpan IdleLineRecheck { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a silo gathers its bots' heartbeats before sending them as one batch (POST /v1/bots/heartbeats, on
    /// servers that have it). 10,000 bots heartbeating every 30 s are 333 requests a second one by one, a few batched.
    /// A heartbeat is late by at most this much, far inside its lease. Default 250 ms; 0 (one request per heartbeat) to 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05", ErrorMessage = "BotFleet:Scheduler:HeartbeatBatchWindow must be between {1} and {2}.")]
    public TimeSpan HeartbeatBatchWindow { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between ticks while the queue stays empty. Default 10 s; at least <see cref="TickInterval"/>, at most 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "BotFleet:Scheduler:MaxIdleInterval must be between {1} and {2}.")]
    public TimeSpan MaxIdleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest delay after failures (server down, outbox blocked). Default 1 min; at least <see cref="TickInterval"/>, at most 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "BotFleet:Scheduler:MaxFailureBackoff must be between {1} and {2}.")]
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// While bots of a silo wait for a job server that did not answer them (<see cref="OutageLine"/>), the one that has
    /// waited longest tries again this often, whatever its own back-off; when one gets through, the rest follow in a
    /// doubling wave. After an outage the fleet resumes within about this long of the server's return instead of
    /// waiting out back-offs of up to <see cref="MaxFailureBackoff"/>. Default 500 ms; 50 ms to 1 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "BotFleet:Scheduler:OutageProbeInterval must be between {1} and {2}.")]
    public TimeSpan OutageProbeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Random spread applied to failure back-off so a fleet does not retry in step. Default 0.2 (±20 %); 0 to 1.</summary>
    [Range(0.0, 1.0, ErrorMessage = "BotFleet:Scheduler:FailureBackoffJitter must be between {1} and {2}.")]
    public double FailureBackoffJitter { get; set; } = 0.2;

    /// <summary>How long a stopping bot waits for its running jobs to finish and report. Default 30 s; 0 to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "BotFleet:Scheduler:DrainTimeout must be between {1} and {2}.")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Period of the keep-alive reminder, the backstop that brings a bot back when nothing else does (the fleet's
    /// roster resumes its bots when a silo dies and when the cluster starts). Default 15 min: every tick costs the silo
    /// ≈ 0.3 ms of CPU, so 10,000 bots at Orleans' minimum of 1 min kept 5 % of a core busy doing nothing. Below 1 min
    /// only in tests (with ReminderOptions.MinimumReminderPeriod).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "BotFleet:Scheduler:KeepAlivePeriod must be between {1} and {2}.")]
    public TimeSpan KeepAlivePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Undelivered reports a bot may hold and still claim new work. At or above it the bot claims
    /// nothing until its outbox drains. Default 100; 1 to 100,000.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "BotFleet:Scheduler:OutboxHighWaterMark must be between {1} and {2}.")]
    public int OutboxHighWaterMark { get; set; } = 100;

    /// <summary>
    /// Server errors (500, 502, 504) in a row for the same report before it is quarantined, so one report the
    /// server cannot take does not block the outbox forever (429, 503 and no answer never count). Default 20; 1 to 10,000.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "BotFleet:Scheduler:PoisonReportThreshold must be between {1} and {2}.")]
    public int PoisonReportThreshold { get; set; } = 20;

    /// <summary>
    /// Largest claimed payload (UTF-8 bytes of its JSON) a bot runs; a larger one is reported failed, saying so, without
    /// running. Default 16 MiB (the reference server takes up to 1 MiB by default, 64 MiB at most); 1 KiB to 1 GiB.
    /// </summary>
    [Range(1_024, 1_024 * 1_024 * 1_024, ErrorMessage = "BotFleet:Scheduler:MaxPayloadBytes must be between {1} and {2}.")]
    public int MaxPayloadBytes { get; set; } = 16 * 1_024 * 1_024;

    /// <summary>The version bots register with (MAJOR.MINOR.PATCH).</summary>
    [Required(ErrorMessage = "BotFleet:Scheduler:BotVersion is required."), RegularExpression(@"^\d+\.\d+\.\d+$", ErrorMessage = "BotFleet:Scheduler:BotVersion must be MAJOR.MINOR.PATCH.")]
    public string BotVersion { get; set; } = "1.0.0";
}
