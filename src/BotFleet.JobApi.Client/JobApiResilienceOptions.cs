using System.ComponentModel.DataAnnotations;

namespace BotFleet.JobApi.Client;

/// <summary>How a bot's job API calls ride out transient faults (configuration section "BotFleet:JobApi").</summary>
public sealed class JobApiResilienceOptions
{
    public const string SectionName = "BotFleet:JobApi";

    /// <summary>Retries after the first attempt. Default 3; 0 to 10.</summary>
    [Range(0, 10, ErrorMessage = "BotFleet:JobApi:MaxRetries must be between {1} and {2}.")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay, doubled per retry, with jitter. Default 200 ms; 1 ms to 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10", ErrorMessage = "BotFleet:JobApi:BaseDelay must be between 00:00:00.001 and 00:00:10.")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest Retry-After a call waits out itself. A server asking for a longer pause gets it from the
    /// scheduler instead (no claim before that time), without holding the call open. Default 2 s; 0 to 1 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "BotFleet:JobApi:MaxRetryAfter must be between 00:00:00 and 00:01:00.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one attempt. Default 5 s; 100 ms to 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "BotFleet:JobApi:AttemptTimeout must be between 00:00:00.100 and 00:05:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
