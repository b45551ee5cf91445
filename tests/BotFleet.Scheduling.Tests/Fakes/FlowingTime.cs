using Microsoft.Extensions.Time.Testing;

namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>
/// Moves a fake clock forward on its own (50 ms every 5 ms of real time) until disposed. A silo whose services run
/// on a fake clock waits on it too (Orleans' timers and retries): the clock must flow while the silo starts, stops
/// or settles, and stand still only while a test steps it by hand.
/// </summary>
public sealed class FlowingTime : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flow;

    private FlowingTime(FakeTimeProvider time)
    {
        _flow = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                await Task.Delay(TimeSpan.FromMilliseconds(5), _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });
    }

    public static FlowingTime Start(FakeTimeProvider time) => new(time);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _flow;
        _stop.Dispose();
    }
}
