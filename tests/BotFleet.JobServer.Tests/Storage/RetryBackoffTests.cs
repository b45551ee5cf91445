using BotFleet.JobServer.Storage;

namespace BotFleet.JobServer.Tests.Storage;

public sealed class RetryBackoffTests
{
    private static readonly JobServerOptions Options = new() { RetryBackoffBase = TimeSpan.FromSeconds(1), RetryBackoffMax = TimeSpan.FromSeconds(10), RetryBackoffJitter = 0.2 };

    [Theory]
    [InlineData(1, 0.0, 1_000)]
    [InlineData(1, 0.5, 900)]
    [InlineData(1, 0.999999, 800)]
    [InlineData(3, 0.0, 4_000)]
    [InlineData(3, 0.5, 3_600)]
    [InlineData(5, 0.0, 10_000)]
    [InlineData(5, 0.5, 9_000)]
    [InlineData(40, 0.0, 10_000)]
    public void Delay_IsExponentialCappedAndJitteredDownwardOnly(int attempt, double random, double expectedMs)
    {
        Assert.Equal(expectedMs, RetryBackoff.Delay(attempt, null, Options, random).TotalMilliseconds);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2_500, 2_500)]
    [InlineData(60_000, 10_000)]
    public void Delay_TheBotsRetryAfterWins_WithoutJitter_CappedAtTheMaximum(long requestedMs, double expectedMs)
    {
        Assert.Equal(expectedMs, RetryBackoff.Delay(2, TimeSpan.FromMilliseconds(requestedMs), Options, 0.7).TotalMilliseconds);
    }
}
