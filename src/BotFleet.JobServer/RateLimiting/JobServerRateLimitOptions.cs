using System.ComponentModel.DataAnnotations;

namespace BotFleet.JobServer.RateLimiting;

/// <summary>
/// Token buckets in front of job API v1 (paths under /v1): one per bot (keyed by the bot id its bearer
/// token names) and one for the whole server. A request over either answers 429 with Retry-After.
/// Each bucket gains rate × <see cref="ReplenishmentPeriodSeconds"/> tokens once per period, up to its burst.
/// </summary>
public sealed class JobServerRateLimitOptions
{
    /// <summary>False turns rate limiting off. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second of one bot. Default 50; 1..100000.</summary>
    [Range(1, 100_000, ErrorMessage = "JobServer:RateLimits:PerBotPerSecond must be between {1} and {2}.")]
    public int PerBotPerSecond { get; set; } = 50;

    /// <summary>Requests one bot may make at once after a quiet spell (the bucket size). Default 100; 1..1000000, and at least PerBotPerSecond.</summary>
    [Range(1, 1_000_000, ErrorMessage = "JobServer:RateLimits:PerBotBurst must be between {1} and {2}.")]
    public int PerBotBurst { get; set; } = 100;

    /// <summary>Sustained requests per second of the whole job API (bots, producers, operators). Default 2000; 1..1000000.</summary>
    [Range(1, 1_000_000, ErrorMessage = "JobServer:RateLimits:GlobalPerSecond must be between {1} and {2}.")]
    public int GlobalPerSecond { get; set; } = 2_000;

    /// <summary>The server-wide bucket size. Default 4000; 1..10000000, and at least GlobalPerSecond.</summary>
    [Range(1, 10_000_000, ErrorMessage = "JobServer:RateLimits:GlobalBurst must be between {1} and {2}.")]
    public int GlobalBurst { get; set; } = 4_000;

    /// <summary>Requests that may wait for a token (per bucket) instead of being refused at once. Default 0; 0..10000.</summary>
    [Range(0, 10_000, ErrorMessage = "JobServer:RateLimits:QueueLimit must be between {1} and {2}.")]
    public int QueueLimit { get; set; }

    /// <summary>
    /// How often the buckets are refilled, in seconds; also the Retry-After of a refused request.
    /// Default 1; 1..3600. Tests use a long period so that no token comes back while they run.
    /// </summary>
    [Range(1, 3_600, ErrorMessage = "JobServer:RateLimits:ReplenishmentPeriodSeconds must be between {1} and {2} seconds.")]
    public int ReplenishmentPeriodSeconds { get; set; } = 1;

    internal TimeSpan ReplenishmentPeriod => TimeSpan.FromSeconds(ReplenishmentPeriodSeconds);

    /// <summary>Tokens added per period; capped at the burst (a bucket never holds more).</summary>
    internal static int TokensPerPeriod(int perSecond, int periodSeconds, int burst) =>
        (int)Math.Min((long)perSecond * periodSeconds, burst);
}
