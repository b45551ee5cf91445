using BotFleet.Scheduling.Scheduling;

namespace BotFleet.Scheduling.Tests.Scheduling;

public sealed class TickBackoffTests
{
    private static readonly SchedulerOptions Options = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(100),
        MaxIdleInterval = TimeSpan.FromMilliseconds(1_000),
        MaxFailureBackoff = TimeSpan.FromSeconds(5),
        FailureBackoffJitter = 0.2,
    };

    [Fact]
    public void Next_WhileIdle_DoublesUpToMaxIdleIntervalAndWorkBringsBackFastTicks()
    {
        var backoff = new TickBackoff(Options, () => 0.5);

        var idle = Enumerable.Range(0, 6).Select(_ => backoff.Next(new TickResult(TickOutcome.Idle))).ToList();
        var afterWork = backoff.Next(new TickResult(TickOutcome.Claimed, 3));
        var idleAgain = backoff.Next(new TickResult(TickOutcome.Idle));

        Assert.Equal([200, 400, 800, 1_000, 1_000, 1_000], idle.Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(100), afterWork);
        Assert.Equal(TimeSpan.FromMilliseconds(200), idleAgain);
    }

    [Fact]
    public void Next_WhileWaitingInTheIdleLine_LooksAgainOnlyAfterIdleLineRecheck_AndResetsTheIdleBackoff()
    {
        var options = new SchedulerOptions { TickInterval = Options.TickInterval, MaxIdleInterval = Options.MaxIdleInterval, IdleLineRecheck = TimeSpan.FromMinutes(7) };
        var backoff = new TickBackoff(options, () => 0.5);
        backoff.Next(new TickResult(TickOutcome.Idle));
        backoff.Next(new TickResult(TickOutcome.Idle));

        var inLine = backoff.Next(new TickResult(TickOutcome.WaitingInLine));
        var idleAgain = backoff.Next(new TickResult(TickOutcome.Idle));

        Assert.Equal(TimeSpan.FromMinutes(7), inLine);
        Assert.Equal(TimeSpan.FromMilliseconds(200), idleAgain);
        Assert.Equal(TimeSpan.FromMinutes(5), new SchedulerOptions().IdleLineRecheck);
    }

    [Fact]
    public void Next_AfterALongPollThatWaitedOutItsTime_ClaimsAgainAtOnce_AndResetsTheIdleBackoff()
    {
        var backoff = new TickBackoff(Options, () => 0.5);
        backoff.Next(new TickResult(TickOutcome.Idle));
        backoff.Next(new TickResult(TickOutcome.Idle));

        var afterWait = backoff.Next(new TickResult(TickOutcome.IdleAfterWait));
        var idleAgain = backoff.Next(new TickResult(TickOutcome.Idle));

        Assert.Equal(TimeSpan.Zero, afterWait);
        Assert.Equal(TimeSpan.FromMilliseconds(200), idleAgain);
    }

    [Fact]
    public void Next_WhilePausedByTheServer_BacksOffLikeAnEmptyQueue()
    {
        var backoff = new TickBackoff(Options, () => 0.5);

        var paused = Enumerable.Range(0, 5).Select(_ => backoff.Next(new TickResult(TickOutcome.Stopped))).ToList();

        Assert.Equal([200, 400, 800, 1_000, 1_000], paused.Select(d => d.TotalMilliseconds));
    }

    [Theory]
    [InlineData(0.0, 160)]
    [InlineData(0.5, 200)]
    [InlineData(1.0, 240)]
    public void Next_AfterAFailure_AppliesJitterWithinItsSpread(double random, double expectedMs)
    {
        var backoff = new TickBackoff(Options, () => random);

        Assert.Equal(expectedMs, backoff.Next(new TickResult(TickOutcome.ClaimFailed)).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Next_AfterRepeatedFailures_IsCappedAndHonoursALongerRetryAfter()
    {
        var backoff = new TickBackoff(Options, () => 0.5);

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next(new TickResult(TickOutcome.OutboxBlocked))).ToList();
        var told = backoff.Next(new TickResult(TickOutcome.ClaimFailed, RetryAfter: TimeSpan.FromSeconds(42)));
        var busy = backoff.Next(new TickResult(TickOutcome.Busy));

        Assert.Equal([200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000], delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(42), told);
        Assert.Equal(TimeSpan.FromMilliseconds(100), busy);
    }

    [Fact]
    public void Validator_MaxIntervalsBelowTheTickInterval_AreRejectedWithClearMessages()
    {
        var options = new SchedulerOptions { TickInterval = TimeSpan.FromSeconds(5), MaxIdleInterval = TimeSpan.FromSeconds(1), MaxFailureBackoff = TimeSpan.FromSeconds(2) };

        var result = new SchedulerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "BotFleet:Scheduler:MaxIdleInterval (00:00:01) must be at least TickInterval (00:00:05).",
                "BotFleet:Scheduler:MaxFailureBackoff (00:00:02) must be at least TickInterval (00:00:05).",
            ],
            result.Failures);
    }
}
