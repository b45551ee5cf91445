using System.ComponentModel.DataAnnotations;

namespace BotFleet.JobServer.RateLimiting;

/// <summary>
/// Token buckets in front of the two job API calls that take work or capacity: POST /v1/jobs/claim (per bot,
/// keyed by the bot id its bearer token names, then the server-wide bucket) and POST /v1/bots/register (the
/// server-wide bucket only). A request over either answers 429 with Retry-After. Reports and heartbeats are
/// never limited: they free work. Each bucket gains rate × <see cref="ReplenishmentPeriod"/> tokens once
/// per period, up to its burst.
/// <para>
/// Sizing: the limits are a guard against a runaway or hostile client, not a throttle of healthy bots; a 429 on a
/// claim only delays work. A busy bot of ours claims at most a few hundred times per second (one claim per free
/// slot batch; fewer with long-poll claims, which wait on the server instead of re-asking), so
/// <see cref="PerBotPerSecond"/> should be well above that. <see cref="GlobalPerSecond"/> should be at least
/// (bots × their peak claim rate), and <see cref="GlobalBurst"/> at least the fleet size, so that a whole fleet
/// registering at once after a restart is not refused.
/// </para>
/// </summary>
public sealed class JobServerRateLimitOptions
{
    /// <summary>False turns rate limiting off. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Sustained claims per second of one bot. Default 1000 (several times the few hundred a busy bot of ours
    /// makes); 1..100000.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "JobServer:RateLimits:PerBotPerSecond must be between {1} and {2}.")]
    public int PerBotPerSecond { get; set; } = 1_000;

    /// <summary>Claims one bot may make at once after a quiet spell (the bucket size). Default 2000; 1..1000000, and at least PerBotPerSecond.</summary>
    [Range(1, 1_000_000, ErrorMessage = "JobServer:RateLimits:PerBotBurst must be between {1} and {2}.")]
    public int PerBotBurst { get; set; } = 2_000;

    /// <summary>
    /// Sustained claims plus registrations per second of the whole server. Default 50000; 1..1000000; size it to
    /// at least bots × their peak claim rate.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "JobServer:RateLimits:GlobalPerSecond must be between {1} and {2}.")]
    public int GlobalPerSecond { get; set; } = 50_000;

    /// <summary>The server-wide bucket size. Default 100000; 1..10000000, at least GlobalPerSecond and the fleet size.</summary>
    [Range(1, 10_000_000, ErrorMessage = "JobServer:RateLimits:GlobalBurst must be between {1} and {2}.")]
    public int GlobalBurst { get; set; } = 100_000;

    /// <summary>Requests that may wait for a token (per bucket) instead of being refused at once. Default 0; 0..10000.</summary>
    [Range(0, 10_000, ErrorMessage = "JobServer:RateLimits:QueueLimit must be between {1} and {2}.")]
    public int QueueLimit { get; set; }

    /// <summary>
    /// How often the buckets are refilled; a refused request's Retry-After is the wait for the next refill, in whole
    /// seconds rounded up. Default 1 s; 1 s..1 h. Tests use a long period so that no token comes back while they run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "JobServer:RateLimits:ReplenishmentPeriod must be between {1} and {2}.")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The earlier spelling of <see cref="ReplenishmentPeriod"/>, in seconds (1..3600). Still read, so configurations
    /// written for earlier versions keep their meaning; when set, it wins (JobServerOptions.ApplyOlderSettings).
    /// </summary>
    [Range(1, 3_600, ErrorMessage = "JobServer:RateLimits:ReplenishmentPeriodSeconds must be between {1} and {2} seconds.")]
    public int? ReplenishmentPeriodSeconds { get; set; }

    /// <summary>Tokens added per period (at least one); capped at the burst (a bucket never holds more).</summary>
    internal static int TokensPerPeriod(int perSecond, TimeSpan period, int burst) =>
        (int)Math.Clamp(Math.Round(perSecond * period.TotalSeconds), 1, burst);
}
