using BotFleet.JobServer.RateLimiting;
using BotFleet.JobServer.Tests.Infrastructure;

namespace BotFleet.JobServer.Tests.RateLimiting;

public sealed class RateLimitOptionsTests
{
    [Theory]
    [InlineData("PerBotPerSecond", "0", "JobServer:RateLimits:PerBotPerSecond must be between 1 and 100000.")]
    [InlineData("GlobalPerSecond", "0", "JobServer:RateLimits:GlobalPerSecond must be between 1 and 1000000.")]
    [InlineData("QueueLimit", "-1", "JobServer:RateLimits:QueueLimit must be between 0 and 10000.")]
    [InlineData("ReplenishmentPeriod", "00:00:00.5", "JobServer:RateLimits:ReplenishmentPeriod must be between 00:00:01 and 01:00:00.")]
    [InlineData("ReplenishmentPeriodSeconds", "0", "JobServer:RateLimits:ReplenishmentPeriodSeconds must be between 1 and 3600 seconds.")]
    [InlineData("PerBotBurst", "10", "JobServer:RateLimits:PerBotBurst (10) must be at least JobServer:RateLimits:PerBotPerSecond (1000).")]
    [InlineData("GlobalBurst", "49999", "JobServer:RateLimits:GlobalBurst (49999) must be at least JobServer:RateLimits:GlobalPerSecond (50000).")]
    public async Task Start_InvalidRateLimit_FailsWithClearMessage(string key, string value, string message)
    {
        var error = await ConfiguredServer.StartRefusedAsync(("JobServer:RateLimits:" + key, value));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_000, 1_000, 2_000, 1_000)]
    [InlineData(1_000, 1_500, 5_000, 1_500)]
    [InlineData(1, 3_600_000, 3, 3)]
    [InlineData(1, 1_200, 10, 1)]
    public void TokensPerPeriod_IsTheRateOverThePeriod_AtLeastOne_CappedAtTheBurst(int perSecond, int periodMs, int burst, int expected)
    {
        Assert.Equal(expected, JobServerRateLimitOptions.TokensPerPeriod(perSecond, TimeSpan.FromMilliseconds(periodMs), burst));
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = new JobServerOptions();

        Assert.Equal(
            (true, 1_000, 2_000, 50_000, 100_000, 0, TimeSpan.FromSeconds(1), (int?)null),
            (options.RateLimits.Enabled, options.RateLimits.PerBotPerSecond, options.RateLimits.PerBotBurst, options.RateLimits.GlobalPerSecond,
             options.RateLimits.GlobalBurst, options.RateLimits.QueueLimit, options.RateLimits.ReplenishmentPeriod, options.RateLimits.ReplenishmentPeriodSeconds));
        Assert.Equal((null, null), (options.ApiKey, options.EnrollmentKey));
        Assert.IsType<JobServerRateLimitOptions>(options.RateLimits);
    }
}
