using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Tests;

public sealed class JobServerOptionsTests
{
    [Theory]
    [InlineData("JobLeaseTtlSeconds", "0", "JobServer:JobLeaseTtlSeconds must be between 5 and 86400 seconds.")]
    [InlineData("ClaimBatchSize", "101", "JobServer:ClaimBatchSize must be between 1 and 100.")]
    [InlineData("DatabasePath", "", "JobServer:DatabasePath must name the SQLite database file.")]
    [InlineData("HeartbeatIntervalSeconds", "300", "JobServer:HeartbeatInterval (00:05:00) must be less than JobServer:JobLeaseTtl (00:05:00), or leases expire between heartbeats.")]
    [InlineData("JobLeaseTtl", "00:00:01", "JobServer:JobLeaseTtl must be between 00:00:05 and 1.00:00:00.")]
    [InlineData("HeartbeatInterval", "00:05:00", "JobServer:HeartbeatInterval (00:05:00) must be less than JobServer:JobLeaseTtl (00:05:00), or leases expire between heartbeats.")]
    [InlineData("RetryBackoffBase", "00:10:00", "JobServer:RetryBackoffBase (00:10:00) must not exceed JobServer:RetryBackoffMax (00:05:00).")]
    public async Task Start_InvalidSetting_FailsWithClearMessage(string key, string value, string message)
    {
        var error = await ConfiguredServer.StartRefusedAsync(("JobServer:" + key, value));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = new JobServerOptions();

        Assert.Equal(
            ("botfleet-jobs.db", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), 100, 5, 5, 1_048_576, TimeSpan.FromSeconds(5)),
            (options.DatabasePath, options.JobLeaseTtl, options.HeartbeatInterval, options.ClaimBatchSize,
             options.DefaultMaxConcurrency, options.DefaultMaxAttempts, options.MaxPayloadBytes, options.LeaseSweepInterval));
        Assert.Equal(
            (TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5)),
            (options.TokenLifetime, options.RetryBackoffBase, options.RetryBackoffMax, options.BotTokenCacheTtl));
    }

    [Fact]
    public async Task EarlierSpellings_InSecondsAndMilliseconds_AreStillRead_AndWinOverTheirTimeSpanSettings()
    {
        await using var app = ConfiguredServer.Create(
            ("JobServer:JobLeaseTtl", "00:10:00"),
            ("JobServer:JobLeaseTtlSeconds", "120"),
            ("JobServer:HeartbeatIntervalSeconds", "20"),
            ("JobServer:LeaseSweepIntervalSeconds", "7"),
            ("JobServer:TokenLifetimeSeconds", "600"),
            ("JobServer:RetryBackoffBaseMs", "250"),
            ("JobServer:RetryBackoffMaxMs", "60000"),
            ("JobServer:BotTokenCacheSeconds", "0"),
            ("JobServer:RateLimits:ReplenishmentPeriod", "00:00:02"),
            ("JobServer:RateLimits:ReplenishmentPeriodSeconds", "90"));

        var options = app.Services.GetRequiredService<IOptions<JobServerOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(7), TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1), TimeSpan.Zero),
            (options.JobLeaseTtl, options.HeartbeatInterval, options.LeaseSweepInterval, options.TokenLifetime, options.RetryBackoffBase, options.RetryBackoffMax, options.BotTokenCacheTtl));
        Assert.Equal(TimeSpan.FromSeconds(90), options.RateLimits.ReplenishmentPeriod);
    }
}
