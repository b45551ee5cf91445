using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer.Auth;

/// <summary>
/// Endpoint filters that guard job API v1. They run before the handler reads the body, so a refused
/// caller costs no parsing. Which bot a request is for (route, body) is checked by the handler once it
/// has parsed the request: 401 comes first, then 400/413, then 403. Whether a report's sender holds the
/// job is the store's question, inside the report's transaction (409 when it does not).
/// </summary>
internal static partial class JobApiAccess
{
    private const string LogCategory = "BotFleet.JobServer.Auth.JobApiAccess";

    /// <summary>
    /// Requires a valid bot bearer token (401 otherwise, documented here for every such endpoint); the handler reads the
    /// caller with <see cref="AuthenticatedBot.Of"/>.
    /// </summary>
    public static RouteHandlerBuilder RequireBotToken(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var authenticator = http.RequestServices.GetRequiredService<BotAuthenticator>();
            var result = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization, http.RequestAborted);
            if (result.BotId is null)
            {
                Refused(http, StatusCodes.Status401Unauthorized, "bot token");
                http.Response.Headers.WWWAuthenticate = result.Expired
                    ? "Bearer error=\"invalid_token\", error_description=\"The access token expired\""
                    : http.Request.Headers.Authorization.Count == 0 ? "Bearer" : "Bearer error=\"invalid_token\"";
                return Problems.Unauthorized(result.Failure!);
            }

            http.Features.Set(new AuthenticatedBot(result.BotId));
            return await next(context);
        });

    /// <summary>When JobServer:EnrollmentKey is set, requires it in X-Enrollment-Key (401 otherwise, documented here).</summary>
    public static RouteHandlerBuilder RequireEnrollmentKey(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var expected = http.RequestServices.GetRequiredService<IOptions<JobServerOptions>>().Value.EnrollmentKey;
            if (!string.IsNullOrEmpty(expected) && !Secrets.AreEqual(http.Request.Headers[JobApiHeaders.EnrollmentKey], expected))
            {
                Refused(http, StatusCodes.Status401Unauthorized, "enrollment key");
                http.Response.Headers.WWWAuthenticate = $"EnrollmentKey header=\"{JobApiHeaders.EnrollmentKey}\"";
                return Problems.Unauthorized($"Registration requires the enrollment key in the {JobApiHeaders.EnrollmentKey} header.");
            }

            return await next(context);
        });

    /// <summary>
    /// Producer and operator endpoints: the API key when configured, else loopback callers only
    /// (<see cref="ProducerAccess"/>); the 401 and 403 it answers are documented here for every such endpoint.
    /// </summary>
    public static RouteHandlerBuilder RequireProducerAccess(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddEndpointFilter(async (context, next) => RefuseProducer(context.HttpContext) ?? await next(context));

    /// <summary>
    /// Endpoints that are not route handlers (the Prometheus scrape endpoint): the same rule as
    /// <see cref="RequireProducerAccess"/>, applied in front of the endpoint's request delegate.
    /// </summary>
    public static void RequireProducerAccess(this IEndpointConventionBuilder builder) =>
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException($"Endpoint {endpoint.DisplayName} has no request delegate.");
            endpoint.RequestDelegate = context => RefuseProducer(context) is { } refusal ? refusal.ExecuteAsync(context) : inner(context);
        });

    /// <summary>The 401/403 for a caller the producer access rule refuses; null when it may go on.</summary>
    private static ProblemHttpResult? RefuseProducer(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<IOptions<JobServerOptions>>().Value.ApiKey;
        switch (ProducerAccess.Decide(configured, http.Request.Headers[JobApiHeaders.ApiKey], http.Connection.RemoteIpAddress))
        {
            case ProducerAccessDecision.Unauthorized:
                Refused(http, StatusCodes.Status401Unauthorized, "API key");
                http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{JobApiHeaders.ApiKey}\"";
                return Problems.Unauthorized($"This endpoint requires the API key in the {JobApiHeaders.ApiKey} header.");
            case ProducerAccessDecision.Forbidden:
                Refused(http, StatusCodes.Status403Forbidden, "not loopback");
                return Problems.Forbidden("No API key is configured (JobServer:ApiKey), so this endpoint answers callers on the server's own machine only.");
            default:
                return null;
        }
    }

    private static void Refused(HttpContext http, int statusCode, string check)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        LogRefused(logger, http.Request.Path, statusCode, check);
    }
}
