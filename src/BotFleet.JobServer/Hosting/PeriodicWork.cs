namespace BotFleet.JobServer.Hosting;

/// <summary>
/// The loop of the job server's background services (lease sweep, status-count folding, retention, queue gauges): run
/// a piece of work every interval on the host's clock; a run that fails is reported and the next tick tries again;
/// the host stopping ends the loop quietly.
/// </summary>
internal static class PeriodicWork
{
    /// <param name="runAtStart">Also run once at once, before the first interval has passed.</param>
    public static async Task RunAsync(
        TimeSpan interval,
        TimeProvider timeProvider,
        Func<CancellationToken, Task> work,
        Action<Exception> onFailed,
        bool runAtStart,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            if (runAtStart)
            {
                await RunOnceAsync(work, onFailed, stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(work, onFailed, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task RunOnceAsync(Func<CancellationToken, Task> work, Action<Exception> onFailed, CancellationToken stoppingToken)
    {
        try
        {
            await work(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            onFailed(ex);
        }
    }
}
