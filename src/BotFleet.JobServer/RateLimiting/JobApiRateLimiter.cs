using System.Globalization;
using System.Threading.RateLimiting;
using BotFleet.JobServer.Auth;
using BotFleet.JobServer.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.RateLimiting;

/// <summary>
/// The job API's limiter: a token bucket per bot chained before one for the whole server, over the two
/// requests that <em>take</em> work or capacity only: POST /v1/jobs/claim and POST /v1/bots/register.
/// Reports (complete, fail, the batch) and heartbeats free work or keep leases alive, so they are never
/// limited: refusing one only makes a finished job run again (and a field bot that ignores status codes
/// loses the report). Producers, operators, health and OpenAPI are not limited either.
/// It runs ahead of routing and of the token check, so the bot is the one its bearer token names
/// (<see cref="BotTokens.TryReadBotId"/>); registration carries no bot token and meets only the global
/// bucket. A forged bot id can spend that bot's budget but no more than the global bucket allows anyone.
/// </summary>
internal sealed partial class JobApiRateLimiter : IDisposable
{
    private const string GlobalPartition = "global";
    private const string ClaimPath = "/v1/jobs/claim";
    private const string RegisterPath = "/v1/bots/register";

    private readonly PartitionedRateLimiter<HttpContext> _perBot;
    private readonly PartitionedRateLimiter<HttpContext> _global;

    public JobApiRateLimiter(IOptions<JobServerOptions> options)
    {
        var limits = options.Value.RateLimits;
        var perBot = Bucket(limits.PerBotPerSecond, limits.PerBotBurst, limits);
        var global = Bucket(limits.GlobalPerSecond, limits.GlobalBurst, limits);
        _perBot = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLimited(context) && BotTokens.TryReadBotId(context.Request.Headers.Authorization, out var botId)
                ? RateLimitPartition.GetTokenBucketLimiter(botId, _ => perBot)
                : RateLimitPartition.GetNoLimiter(string.Empty));
        _global = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            IsLimited(context)
                ? RateLimitPartition.GetTokenBucketLimiter(GlobalPartition, _ => global)
                : RateLimitPartition.GetNoLimiter(string.Empty));

        // Per bot first: a bot over its own rate must not spend the server's tokens too.
        Limiter = PartitionedRateLimiter.CreateChained(_perBot, _global);
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>The middleware options: our limiter, and a 429 problem+json with Retry-After in whole seconds.</summary>
    public RateLimiterOptions CreateMiddlewareOptions() => new()
    {
        GlobalLimiter = Limiter,
        RejectionStatusCode = StatusCodes.Status429TooManyRequests,
        OnRejected = async (rejected, cancellationToken) =>
        {
            var http = rejected.HttpContext;
            var seconds = RetryAfterSeconds(rejected.Lease);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<JobApiRateLimiter>();
            LogRejected(logger, http.Request.Method, http.Request.Path, seconds);
            await Problems.TooManyRequests($"Over the job API's request rate; try again in {seconds} s.").ExecuteAsync(http);
        },
    };

    public void Dispose()
    {
        Limiter.Dispose();
        _perBot.Dispose();
        _global.Dispose();
    }

    /// <summary>The lease's retry-after rounded up to whole seconds, at least 1.</summary>
    internal static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue)
            : 1;

    /// <summary>Claims and registrations only; everything else passes untouched (see the class summary).</summary>
    internal static bool IsLimited(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        // Routing matches paths case-insensitively and ignores one trailing slash, so the limiter must too.
        var path = request.Path.Value.AsSpan().TrimEnd('/');
        return path.Equals(ClaimPath, StringComparison.OrdinalIgnoreCase)
            || path.Equals(RegisterPath, StringComparison.OrdinalIgnoreCase);
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst, JobServerRateLimitOptions limits) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = JobServerRateLimitOptions.TokensPerPeriod(perSecond, limits.ReplenishmentPeriod, burst),
        ReplenishmentPeriod = limits.ReplenishmentPeriod,
        QueueLimit = limits.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        // The partitioned limiter refills its buckets from one timer of its own.
        AutoReplenishment = true,
    };

}

/// <summary>
/// Puts the rate limiter in front of the host's whole pipeline, so a host that maps the job API
/// (the standalone server, or a silo through MapBotFleetJobApi) is limited without further calls.
/// </summary>
internal sealed class JobApiRateLimitingStartupFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<JobServerOptions>>().Value;
        if (options.RateLimits.Enabled)
        {
            app.UseRateLimiter(app.ApplicationServices.GetRequiredService<JobApiRateLimiter>().CreateMiddlewareOptions());
        }

        next(app);
    };
}

/// <summary>A bucket smaller than one period's refill would cap the rate below what was asked.</summary>
internal sealed class JobServerRateLimitOptionsValidator : IValidateOptions<JobServerOptions>
{
    public ValidateOptionsResult Validate(string? name, JobServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.RateLimits;
        if (limits is null)
        {
            return ValidateOptionsResult.Fail("JobServer:RateLimits must not be null.");
        }

        var failures = new List<string>();
        if (limits.PerBotBurst < limits.PerBotPerSecond)
        {
            failures.Add($"JobServer:RateLimits:PerBotBurst ({limits.PerBotBurst}) must be at least JobServer:RateLimits:PerBotPerSecond ({limits.PerBotPerSecond}).");
        }

        if (limits.GlobalBurst < limits.GlobalPerSecond)
        {
            failures.Add($"JobServer:RateLimits:GlobalBurst ({limits.GlobalBurst}) must be at least JobServer:RateLimits:GlobalPerSecond ({limits.GlobalPerSecond}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
