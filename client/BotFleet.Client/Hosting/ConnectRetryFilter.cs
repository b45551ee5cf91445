using Microsoft.Extensions.Options;

namespace BotFleet.Client.Hosting;

/// <summary>
/// Retries the first connection once a second for <see cref="BotFleetClientOptions.ConnectRetry"/>.
/// Replaces Orleans' default back-off, which keeps a client with no silo waiting for minutes.
/// </summary>
internal sealed class ConnectRetryFilter(IOptions<BotFleetClientOptions> options, TimeProvider time) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private long? _firstFailure;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        _firstFailure ??= time.GetTimestamp();
        var budget = options.Value.ConnectRetry;
        if (time.GetElapsedTime(_firstFailure.Value) + RetryDelay > budget)
        {
            return false;
        }

        await Task.Delay(RetryDelay, time, cancellationToken);
        return true;
    }
}
