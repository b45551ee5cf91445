using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Requests;

/// <summary>
/// Reads and checks each <see cref="ValidBody{T}"/> of an endpoint before it runs, and answers (and logs) the problem of
/// a body it refuses. Added after the endpoint's access filters, so it runs after them.
/// </summary>
internal sealed partial class RefuseInvalidBodies(ILogger<RefuseInvalidBodies> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is IUncheckedBody body && await body.CheckAsync() is { } problem)
            {
                LogBodyRefused(context.HttpContext.Request.Method, context.HttpContext.Request.Path, problem.StatusCode);
                return problem;
            }
        }

        return await next(context);
    }
}
