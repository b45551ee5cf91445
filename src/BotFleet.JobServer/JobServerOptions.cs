using System.ComponentModel.DataAnnotations;
using BotFleet.JobServer.Retention;
using BotFleet.JobServer.Storage;
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
    /// The database must exist; the job store creates and migrates its tables. Holds a secret: never log it.
    /// </summary>
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>SQLite database file. Default "botfleet-jobs.db" (relative to the working directory).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "JobServer:DatabasePath must name the SQLite database file.")]
    public string DatabasePath { get; set; } = "botfleet-jobs.db";

    /// <summary>How long a claimed job stays leased without a heartbeat. Default 300; 5..86400.</summary>
    [Range(5, 86_400, ErrorMessage = "JobServer:JobLeaseTtlSeconds must be between {1} and {2} seconds.")]
    public int JobLeaseTtlSeconds { get; set; } = 300;

    /// <summary>Heartbeat interval told to bots. Default 30; 1..3600, and below JobLeaseTtlSeconds.</summary>
    [Range(1, 3_600, ErrorMessage = "JobServer:HeartbeatIntervalSeconds must be between {1} and {2} seconds.")]
    public int HeartbeatIntervalSeconds { get; set; } = 30;

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

    /// <summary>How often expired leases are returned to pending. Default 5; 1..3600.</summary>
    [Range(1, 3_600, ErrorMessage = "JobServer:LeaseSweepIntervalSeconds must be between {1} and {2} seconds.")]
    public int LeaseSweepIntervalSeconds { get; set; } = 5;

    /// <summary>Lifetime of a bot access token (expires_in). Default 3600; 60..604800.</summary>
    [Range(60, 604_800, ErrorMessage = "JobServer:TokenLifetimeSeconds must be between {1} and {2} seconds.")]
    public int TokenLifetimeSeconds { get; set; } = 3_600;

    /// <summary>First retry delay after a failure without retry_after_ms; doubles per attempt. Default 1000; 0..3600000.</summary>
    [Range(0, 3_600_000, ErrorMessage = "JobServer:RetryBackoffBaseMs must be between {1} and {2} ms.")]
    public int RetryBackoffBaseMs { get; set; } = 1_000;

    /// <summary>Longest retry delay, also the cap on a bot's retry_after_ms. Default 300000; 0..86400000.</summary>
    [Range(0, 86_400_000, ErrorMessage = "JobServer:RetryBackoffMaxMs must be between {1} and {2} ms.")]
    public int RetryBackoffMaxMs { get; set; } = 300_000;

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

    internal TimeSpan JobLeaseTtl => TimeSpan.FromSeconds(JobLeaseTtlSeconds);

    internal TimeSpan LeaseSweepInterval => TimeSpan.FromSeconds(LeaseSweepIntervalSeconds);

    /// <summary>A bot counts as active in stats while seen within three heartbeat intervals.</summary>
    internal TimeSpan ActiveBotWindow => TimeSpan.FromSeconds(HeartbeatIntervalSeconds * 3L);

    /// <summary>How long finished jobs are kept (section "JobServer:Retention").</summary>
    [ValidateObjectMembers]
    public JobRetentionOptions Retention { get; set; } = new();
}
