using System.ComponentModel.DataAnnotations;

namespace BotFleet.JobServer;

// The durations' earlier spellings, in whole seconds or milliseconds. Configurations written for earlier versions keep
// their meaning: each is still read and, when set, wins over its TimeSpan setting (ApplyOlderSettings).
public sealed partial class JobServerOptions
{
    /// <summary>The earlier spelling of <see cref="JobLeaseTtl"/>, in seconds (5..86400).</summary>
    [Range(5, 86_400, ErrorMessage = "JobServer:JobLeaseTtlSeconds must be between {1} and {2} seconds.")]
    public int? JobLeaseTtlSeconds { get; set; }

    /// <summary>The earlier spelling of <see cref="HeartbeatInterval"/>, in seconds (1..3600).</summary>
    [Range(1, 3_600, ErrorMessage = "JobServer:HeartbeatIntervalSeconds must be between {1} and {2} seconds.")]
    public int? HeartbeatIntervalSeconds { get; set; }

    /// <summary>The earlier spelling of <see cref="LeaseSweepInterval"/>, in seconds (1..3600).</summary>
    [Range(1, 3_600, ErrorMessage = "JobServer:LeaseSweepIntervalSeconds must be between {1} and {2} seconds.")]
    public int? LeaseSweepIntervalSeconds { get; set; }

    /// <summary>The earlier spelling of <see cref="TokenLifetime"/>, in seconds (60..604800).</summary>
    [Range(60, 604_800, ErrorMessage = "JobServer:TokenLifetimeSeconds must be between {1} and {2} seconds.")]
    public int? TokenLifetimeSeconds { get; set; }

    /// <summary>The earlier spelling of <see cref="RetryBackoffBase"/>, in milliseconds (0..3600000).</summary>
    [Range(0, 3_600_000, ErrorMessage = "JobServer:RetryBackoffBaseMs must be between {1} and {2} ms.")]
    public int? RetryBackoffBaseMs { get; set; }

    /// <summary>The earlier spelling of <see cref="RetryBackoffMax"/>, in milliseconds (0..86400000).</summary>
    [Range(0, 86_400_000, ErrorMessage = "JobServer:RetryBackoffMaxMs must be between {1} and {2} ms.")]
    public int? RetryBackoffMaxMs { get; set; }

    /// <summary>The earlier spelling of <see cref="BotTokenCacheTtl"/>, in seconds (0..300).</summary>
    [Range(0, 300, ErrorMessage = "JobServer:BotTokenCacheSeconds must be between {1} and {2} seconds.")]
    public int? BotTokenCacheSeconds { get; set; }

    /// <summary>
    /// Takes each earlier spelling that is set, and valid, into its TimeSpan setting. One out of its range is left to
    /// validation, which names it (and not the TimeSpan setting it would have set).
    /// </summary>
    internal void ApplyOlderSettings()
    {
        JobLeaseTtl = Seconds(JobLeaseTtlSeconds, nameof(JobLeaseTtlSeconds)) ?? JobLeaseTtl;
        HeartbeatInterval = Seconds(HeartbeatIntervalSeconds, nameof(HeartbeatIntervalSeconds)) ?? HeartbeatInterval;
        LeaseSweepInterval = Seconds(LeaseSweepIntervalSeconds, nameof(LeaseSweepIntervalSeconds)) ?? LeaseSweepInterval;
        TokenLifetime = Seconds(TokenLifetimeSeconds, nameof(TokenLifetimeSeconds)) ?? TokenLifetime;
        RetryBackoffBase = Milliseconds(RetryBackoffBaseMs, nameof(RetryBackoffBaseMs)) ?? RetryBackoffBase;
        RetryBackoffMax = Milliseconds(RetryBackoffMaxMs, nameof(RetryBackoffMaxMs)) ?? RetryBackoffMax;
        BotTokenCacheTtl = Seconds(BotTokenCacheSeconds, nameof(BotTokenCacheSeconds)) ?? BotTokenCacheTtl;
        RateLimits.ReplenishmentPeriod =
            Seconds(RateLimits.ReplenishmentPeriodSeconds, nameof(RateLimits.ReplenishmentPeriodSeconds), RateLimits) ?? RateLimits.ReplenishmentPeriod;
    }

    private TimeSpan? Seconds(int? value, string property, object? owner = null) =>
        IsValid(value, property, owner ?? this) ? TimeSpan.FromSeconds(value!.Value) : null;

    private TimeSpan? Milliseconds(int? value, string property) => IsValid(value, property, this) ? TimeSpan.FromMilliseconds(value!.Value) : null;

    private static bool IsValid(int? value, string property, object owner) =>
        value is not null && Validator.TryValidateProperty(value, new ValidationContext(owner) { MemberName = property }, null);
}
