namespace BotFleet.JobApi.Client;

/// <summary>
/// The timeout of one whole job API call, retries included, in place of HttpClient.Timeout: a long-poll
/// claim gets its server wait on top (<see cref="JobApiRequestOptions.ServerWait"/>). Expiry surfaces as the
/// same OperationCanceledException HttpClient.Timeout raises, which <see cref="JobApiClient"/> reports as
/// "no answer within the timeout".
/// </summary>
public sealed class JobApiCallTimeoutHandler(TimeSpan timeout, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var limit = timeout + JobApiRequestOptions.ServerWaitOf(request);
        using var expiry = new CancellationTokenSource(limit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            return await base.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException ex) when (expiry.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TaskCanceledException($"The job API call did not finish within {limit}.", new TimeoutException(ex.Message, ex));
        }
    }
}
