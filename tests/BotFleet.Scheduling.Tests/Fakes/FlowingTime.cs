using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>
/// Moves a fake clock forward on its own (50 ms, or a step of the test's, every 5 ms of real time) until disposed, or until it reaches a ceiling,
/// where it stands still. A silo whose services run on a fake clock waits on it too (Orleans' timers and retries): the
/// clock must flow while the silo starts, stops or answers a call, and stand still only while a test steps it by hand.
/// A ceiling lets it flow for the silo's short waits while the test still knows a point it has not passed.
/// </summary>
public sealed class FlowingTime : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStep = TimeSpan.FromMilliseconds(50);
    // The clock advances on this loop, and a fake clock runs timers' callbacks on the thread that advances it: a loop
    // that does not end is a callback that does not return, which a test must name rather than hang on.
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flow;

    private FlowingTime(FakeTimeProvider time, DateTimeOffset ceiling, TimeSpan step)
    {
        _flow = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var left = ceiling - time.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    time.Advance(left < step ? left : step);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(5), _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });
    }

    public static FlowingTime Start(FakeTimeProvider time) => new(time, DateTimeOffset.MaxValue, DefaultStep);

    /// <summary>Lets <paramref name="time"/> flow up to <paramref name="ceiling"/>, no further, by <paramref name="step"/> (default 50 ms) every 5 ms.</summary>
    public static FlowingTime Until(FakeTimeProvider time, DateTimeOffset ceiling, TimeSpan? step = null) => new(time, ceiling, step ?? DefaultStep);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _flow.WaitAsync(StuckAfter);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The fake clock's flow did not stop within {StuckAfter}: a timer callback run by FakeTimeProvider.Advance has not returned.");
        }

        _stop.Dispose();
    }
}
