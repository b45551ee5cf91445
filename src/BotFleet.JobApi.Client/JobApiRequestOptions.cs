namespace BotFleet.JobApi.Client;

/// <summary>What a job API request tells the handlers below <see cref="JobApiClient"/> about itself.</summary>
public static class JobApiRequestOptions
{
    /// <summary>
    /// How long the server may hold this request on purpose (a long-poll claim's wait_ms): every timeout
    /// of the call — the whole call's and each attempt's — is extended by it.
    /// </summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ServerWait = new("BotFleet.JobApi.ServerWait");

    /// <summary>The server wait a request carries; zero when it carries none.</summary>
    public static TimeSpan ServerWaitOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(ServerWait, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
}
