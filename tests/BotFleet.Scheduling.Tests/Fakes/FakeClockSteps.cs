using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>
/// Moves a fake clock by hand in small steps, giving real time to what each step wakes (timers' callbacks and their
/// continuations run on other threads), for tests that need the clock to stand still between steps.
/// </summary>
public static class FakeClockSteps
{
    /// <summary>Steps <paramref name="time"/> to <paramref name="until"/> by at most <paramref name="step"/>.</summary>
    public static async Task StepToAsync(this FakeTimeProvider time, DateTimeOffset until, TimeSpan step)
    {
        while (time.GetUtcNow() < until)
        {
            var left = until - time.GetUtcNow();
            time.Advance(left < step ? left : step);
            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Steps <paramref name="time"/> 10 ms at a time until <paramref name="condition"/> holds, failing after 60 s of fake time.</summary>
    public static async Task StepUntilAsync(this FakeTimeProvider time, Func<bool> condition)
    {
        for (var step = 0; !condition(); step++)
        {
            Assert.True(step < 6_000, "condition not met after 60 s of fake time");
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
