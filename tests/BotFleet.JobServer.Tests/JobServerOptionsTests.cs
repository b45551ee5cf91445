using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Tests;

public sealed class JobServerOptionsTests
{
    [Theory]
    [InlineData("JobLeaseTtlSeconds", "0", "JobServer:JobLeaseTtlSeconds must be between 5 and 86400 seconds.")]
    [InlineData("ClaimBatchSize", "101", "JobServer:ClaimBatchSize must be between 1 and 100.")]
    [InlineData("DatabasePath", "", "JobServer:DatabasePath must name the SQLite database file.")]
    [InlineData("HeartbeatIntervalSeconds", "300", "JobServer:HeartbeatIntervalSeconds (300) must be less than JobServer:JobLeaseTtlSeconds (300), or leases expire between heartbeats.")]
    public async Task Start_InvalidSetting_FailsWithClearMessage(string key, string value, string message)
    {
        await using var app = JobServerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["JobServer:DatabasePath"] = Path.Combine(Path.GetTempPath(), $"botfleet-options-{Guid.NewGuid():N}.db");
            builder.Configuration["JobServer:" + key] = value;
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = new JobServerOptions();

        Assert.Equal(
            ("botfleet-jobs.db", 300, 30, 100, 5, 5, 1_048_576, 5),
            (options.DatabasePath, options.JobLeaseTtlSeconds, options.HeartbeatIntervalSeconds, options.ClaimBatchSize,
             options.DefaultMaxConcurrency, options.DefaultMaxAttempts, options.MaxPayloadBytes, options.LeaseSweepIntervalSeconds));
    }
}
