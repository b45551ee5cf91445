using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Polly.Timeout;

namespace BotFleet.JobApi.Client;

/// <summary>
/// Retries with exponential backoff and jitter (Polly, through Microsoft.Extensions.Http.Resilience)
/// for the job API's transient faults: 429, 5xx, connection errors and timeouts. Permanent answers
/// (400, 401, 403, 404, 409) are never retried. A claim is retried only when the server surely did not
/// act on it (no connection, 429, 503): a lost answer to a claim that did run would strand its jobs
/// until their leases expire. Reports, heartbeats and registration are idempotent and always retried.
/// </summary>
public static class JobApiResilience
{
    public const string PipelineName = "job-api";

    /// <summary>
    /// Adds the retry and attempt-timeout pipeline to the job API client. Its settings are the client's named
    /// <see cref="JobApiResilienceOptions"/> (<paramref name="configure"/> sets them), checked when the host starts.
    /// </summary>
    public static IHttpClientBuilder AddJobApiResilience(this IHttpClientBuilder builder, Action<JobApiResilienceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.Services.AddOptions<JobApiResilienceOptions>(builder.Name).ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            settings.Configure(configure);
        }

        // Retries are logged at Debug, without a warning and a stack trace per attempt; the caller reports the final failure.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TelemetryOptions>, JobApiTelemetrySeverity>());
        builder.AddResilienceHandler(PipelineName, (pipeline, handler) =>
        {
            var options = handler.ServiceProvider.GetRequiredService<IOptionsMonitor<JobApiResilienceOptions>>().Get(builder.Name);
            var time = handler.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context, options.MaxRetryAfter, time)),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions
            {
                // A long-poll claim is held by the server on purpose: its attempt may take that much longer.
                TimeoutGenerator = args => ValueTask.FromResult(options.AttemptTimeout + JobApiRequestOptions.ServerWaitOf(args.Context.GetRequestMessage())),
            });
        });
        return builder;
    }

    /// <summary>The retry rule, on its own so it can be tested without sending anything.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxRetryAfter, TimeProvider time)
    {
        var isClaim = context.GetRequestMessage()?.RequestUri?.AbsolutePath.EndsWith("/v1/jobs/claim", StringComparison.Ordinal) == true;
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                // Nothing reached the server: safe for every call.
                HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
                HttpRequestException or TimeoutRejectedException => !isClaim,
                _ => false,
            };
        }

        var response = outcome.Result!;
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => RetryAfter(response, time) is not { } wait || wait <= maxRetryAfter,
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => !isClaim,
            _ => false,
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };
}
