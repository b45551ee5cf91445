namespace BotFleet.Scheduling.Tests.Fakes;

/// <summary>
/// Waits for a condition that another thread makes true. Polls rather than sleeps a fixed
/// time, and fails loudly after a generous bound instead of passing by doing nothing.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Reads a value until it satisfies the condition and returns it; the timeout names the last value read.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var value = await read();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}; last value {value}");
            }

            await Task.Delay(5);
            value = await read();
        }

        return value;
    }
}
