using System.ComponentModel.DataAnnotations;
using BotFleet.JobServer.Retention;
using BotFleet.JobServer.Storage;
using BotFleet.Settings;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

/// <summary>Settings of the job server, bound from the "JobServer" configuration section.</summary>
public sealed partial class JobServerOptions
{
    public const string SectionName = "JobServer";

    /// <summary>Which job store to use: Sqlite (default; one server, <see cref="DatabasePath"/>) or PostgreSql (several servers may share it).</summary>
    public JobStoreKind Store { get; set; } = JobStoreKind.Sqlite;

    /// <summary>
    /// Npgsql connection string of the PostgreSQL database; required when <see cref="Store"/> is PostgreSql, ignored otherwise.
    /// The database must exist; the job store creates and migrates its tables.
    /// </summary>
    [Secret]
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>SQLite database file. Default "botfleet-jobs.db" (relative to the working directory).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "JobServer:DatabasePath must name the SQLite database file.")]
    public string DatabasePath { get; set; } = "botfleet-jobs.db";

    /// <summary>How long a claimed job stays leased without a heartbeat (told to bots in whole seconds). Default 5 min; 5 s to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "JobServer:JobLeaseTtl must be between {1} and {2}.")]
    public TimeSpan JobLeaseTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Heartbeat interval told to bots (in whole seconds). Default 30 s; 1 s to 1 h, and below JobLeaseTtl.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "JobServer:HeartbeatInterval must be between {1} and {2}.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest claim batch told to bots (config.claim_batch_size), and the limit of a claim that states none.
    /// A bot asks for less by its own batch size; a small cap only multiplies claim round trips. Default 100; 1..100.
    /// </summary>
    [Range(1, 100, ErrorMessage = "JobServer:ClaimBatchSize must be between {1} and {2}.")]
    public int ClaimBatchSize { get; set; } = 100;

    /// <summary>Concurrency assigned to a bot that states none. Default 5; 1..1000.</summary>
    [Range(1, 1_000, ErrorMessage = "JobServer:DefaultMaxConcurrency must be between {1} and {2}.")]
    public int DefaultMaxConcurrency { get; set; } = 5;

    /// <summary>Attempts of a job submitted without max_attempts. Default 5; 1..100.</summary>
    [Range(1, 100, ErrorMessage = "JobServer:DefaultMaxAttempts must be between {1} and {2}.")]
    public int DefaultMaxAttempts { get; set; } = 5;

    /// <summary>Largest payload or result of one job, in bytes of compact JSON. Default 1 MiB; 1 KiB..64 MiB.</summary>
    [Range(1_024, 64 * 1_024 * 1_024, ErrorMessage = "JobServer:MaxPayloadBytes must be between {1} and {2} bytes.")]
    public int MaxPayloadBytes { get; set; } = 1_024 * 1_024;

    /// <summary>Largest request body, in bytes (a batch of 1,000 jobs needs room). Default 32 MiB; 1 KiB..1 GiB.</summary>
    [Range(1_024, 1_024 * 1_024 * 1_024, ErrorMessage = "JobServer:MaxRequestBytes must be between {1} and {2} bytes.")]
    public int MaxRequestBytes { get; set; } = 32 * 1_024 * 1_024;

    /// <summary>How often expired leases are returned to pending. Default 5 s; 1 s to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "JobServer:LeaseSweepInterval must be between {1} and {2}.")]
    public TimeSpan LeaseSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lifetime of a bot access token (expires_in, in whole seconds). Default 1 h; 1 min to 7 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "JobServer:TokenLifetime must be between {1} and {2}.")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>First retry delay after a failure without retry_after_ms; doubles per attempt. Default 1 s; 0 to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "JobServer:RetryBackoffBase must be between {1} and {2}.")]
    public TimeSpan RetryBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay, also the cap on a bot's retry_after_ms. Default 5 min; 0 to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "JobServer:RetryBackoffMax must be between {1} and {2}.")]
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Share of a retry delay that jitter may take off (0 = none). Default 0.2; 0..1.</summary>
    [Range(0.0, 1.0, ErrorMessage = "JobServer:RetryBackoffJitter must be between {1} and {2}.")]
    public double RetryBackoffJitter { get; set; } = 0.2;

    /// <summary>
    /// Long-poll claims (wait_ms) that may wait at once in this server; a claim beyond it answers at once, as if it
    /// had no wait_ms. A waiting claim holds no database connection, only a little memory. Default 20000; 0..1000000
    /// (0 turns long polling off).
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "JobServer:MaxClaimWaiters must be between {1} and {2}.")]
    public int MaxClaimWaiters { get; set; } = 20_000;

    /// <summary>A bot counts as active in stats while seen within three heartbeat intervals.</summary>
    internal TimeSpan ActiveBotWindow => HeartbeatInterval * 3;

    /// <summary>How long finished jobs are kept (section "JobServer:Retention").</summary>
    [ValidateObjectMembers]
    public JobRetentionOptions Retention { get; set; } = new();
}
