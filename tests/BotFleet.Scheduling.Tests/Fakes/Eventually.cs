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
}
