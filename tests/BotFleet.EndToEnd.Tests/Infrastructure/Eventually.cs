namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>Polls for a condition other processes make true; fails loudly after a bound.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}. Last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
