using System.ComponentModel.DataAnnotations;
using BotFleet.JobServer.RateLimiting;
using BotFleet.Settings;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

// Access control and rate limits. Secrets carry [Secret]; nothing in the server logs or echoes them.
public sealed partial class JobServerOptions
{
    /// <summary>
    /// When set, POST /v1/bots/register requires header X-Enrollment-Key with this value (else 401).
    /// Default: none (any caller may register).
    /// </summary>
    [Secret]
    public string? EnrollmentKey { get; set; }

    /// <summary>
    /// When set, producer and operator endpoints (POST /v1/jobs, GET /v1/jobs…, GET /v1/stats,
    /// PUT /v1/bots/{bot_id}/assignment) require header X-Api-Key with this value (else 401).
    /// Default: none, and then those endpoints answer loopback callers only (403 otherwise).
    /// </summary>
    [Secret]
    public string? ApiKey { get; set; }

    /// <summary>
    /// How long a bot token verified against the store is trusted without reading the store again.
    /// Default 5 s; 0 to 5 min (0 reads the store on every call). A token replaced by registering through another
    /// server keeps working here at most this long; registering through this server ends the old token at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "JobServer:BotTokenCacheTtl must be between {1} and {2}.")]
    public TimeSpan BotTokenCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rate limits of the job API (section "JobServer:RateLimits").</summary>
    [ValidateObjectMembers]
    public JobServerRateLimitOptions RateLimits { get; set; } = new();
}
