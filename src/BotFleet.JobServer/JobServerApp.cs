using BotFleet.JobServer.Health;
using BotFleet.JobServer.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobServer;

/// <summary>The standalone job server: one call builds the whole app, so tests and tools can host it too.</summary>
public static class JobServerApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Builds the server. <paramref name="configure"/> runs after the job server's services are added,
    /// so it can replace any of them (a FakeTimeProvider, say) or set configuration
    /// ("JobServer:DatabasePath") and URLs (UseUrls("http://127.0.0.1:0")). Without configured
    /// URLs the server listens on <see cref="DefaultUrl"/>. After StartAsync, <c>app.Urls</c> holds the bound address.
    /// </summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json (quiet logging defaults) is read beside the executable, whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = HostArguments.WithDefaults(args),
            ContentRootPath = HostArguments.ContentRoot(args),
        });
        builder.Services.AddBotFleetJobServer(builder.Configuration);
        builder.Logging.ReportStartFailuresOnce();
        configure?.Invoke(builder);

        // After configure: which exporters to add is read from configuration once, here.
        builder.Services.AddBotFleetTelemetry(builder.Configuration, "botfleet-jobserver");
        if (!HasConfiguredUrls(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapBotFleetJobApi();
        app.MapBotFleetJobServerHealth();
        app.MapBotFleetTelemetry();
        return app;
    }

    /// <summary>True when urls, ASPNETCORE_URLS, HTTP(S)_PORTS or Kestrel endpoints name an address.</summary>
    private static bool HasConfiguredUrls(ConfigurationManager configuration) =>
        !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrEmpty(configuration["HTTP_PORTS"])
        || !string.IsNullOrEmpty(configuration["HTTPS_PORTS"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
