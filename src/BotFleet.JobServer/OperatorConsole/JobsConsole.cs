using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace BotFleet.JobServer.OperatorConsole;

/// <summary>
/// The jobs console at <see cref="Path"/>: a static page (HTML, script, style, embedded in this assembly) that does
/// everything through the job API's JSON, with the caller's API key, so it needs no access rule of its own and no
/// server-side logic beside the API's. A static page rather than Razor or Blazor: the API already is the one home of
/// every rule the console applies, and the page adds no dependency to the server.
/// </summary>
public static class JobsConsole
{
    public const string Path = "/console";

    private static readonly (string Name, string ContentType)[] Files =
    [
        ("console.js", "text/javascript; charset=utf-8"),
        ("console.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapJobsConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, (HttpContext context) => ServeAsync(context, "console.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        foreach (var (name, contentType) in Files)
        {
            endpoints.MapGet($"{Path}/{name}", (HttpContext context) => ServeAsync(context, name, contentType)).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static async Task ServeAsync(HttpContext context, string name, string contentType)
    {
        await using var file = typeof(JobsConsole).Assembly.GetManifestResourceStream($"BotFleet.JobServer.Console.{name}")
            ?? throw new InvalidOperationException($"The console file {name} is not embedded in {typeof(JobsConsole).Assembly.GetName().Name}.");
        context.Response.ContentType = contentType;
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        // The page only ever talks to the server it came from.
        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'self'; style-src 'self'; script-src 'self'";
        await file.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
