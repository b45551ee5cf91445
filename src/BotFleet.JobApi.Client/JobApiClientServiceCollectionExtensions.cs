using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotFleet.JobApi.Client;

public static class JobApiClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="JobApiClient"/> as a typed HttpClient and exposes it as
    /// <see cref="IJobApiClient"/>, <see cref="IJobProducerClient"/>, <see cref="IJobReportBatchClient"/>, <see cref="IJobHeartbeatBatchClient"/> and <see cref="IJobOperatorClient"/>.
    /// A server with JobServer:ApiKey or JobServer:EnrollmentKey set wants the header of <see cref="Wire.JobApiHeaders"/>:
    /// add it with ConfigureHttpClient(c => c.DefaultRequestHeaders.Add(...)) on the returned builder.
    /// </summary>
    /// <param name="baseAddress">The job server root, for example http://127.0.0.1:5080/.</param>
    /// <param name="timeout">Per-call timeout; an expired call throws a transient <see cref="JobApiException"/>.</param>
    /// <returns>The HttpClient builder, to add handlers. No retry handler is added on purpose: reports and claims are retried by the scheduler's outbox.</returns>
    public static IHttpClientBuilder AddJobApiClient(this IServiceCollection services, Uri baseAddress, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("The job API base address must be an absolute URI.", nameof(baseAddress));
        }

        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The job API timeout must be positive.");
        }

        // Relative request paths ("v1/…") keep any path prefix of the base only when it ends in '/'.
        var root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

        // The call's timeout lives in JobApiCallTimeoutHandler, which a long-poll claim can extend; HttpClient's cannot be.
        var builder = services.AddHttpClient<JobApiClient>(client =>
        {
            client.BaseAddress = root;
            client.Timeout = Timeout.InfiniteTimeSpan;
        })
        .AddHttpMessageHandler(sp => new JobApiCallTimeoutHandler(timeout, sp.GetService<TimeProvider>() ?? TimeProvider.System))
        // The factory's per-request log scopes and lines cost more than a loopback call; JobApiClient logs its own failures.
        .RemoveAllLoggers();
        services.TryAddTransient<IJobApiClient>(sp => sp.GetRequiredService<JobApiClient>());
        services.TryAddTransient<IJobProducerClient>(sp => sp.GetRequiredService<JobApiClient>());
        services.TryAddTransient<IJobReportBatchClient>(sp => sp.GetRequiredService<JobApiClient>());
        services.TryAddTransient<IJobHeartbeatBatchClient>(sp => sp.GetRequiredService<JobApiClient>());
        services.TryAddTransient<IJobOperatorClient>(sp => sp.GetRequiredService<JobApiClient>());
        return builder;
    }
}
