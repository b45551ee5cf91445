using System.Diagnostics;

namespace BotFleet.Testing;

/// <summary>
/// Waits for a condition that another thread or process makes true: polls rather than sleeping a fixed time, and fails
/// loudly after a generous bound of real (monotonic) time (naming what it waited for and the last value read) instead of passing by doing nothing.
/// For code on a fake clock, advance the clock instead.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var bound = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > bound)
            {
                throw new TimeoutException($"Timed out after {bound} waiting for: {what}");
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>Reads a value until it satisfies the condition and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var bound = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (waited.Elapsed > bound)
            {
                throw new TimeoutException($"Timed out after {bound} waiting for: {what}. Last value: {value}");
            }

            await Task.Delay(Poll);
        }
    }
}
