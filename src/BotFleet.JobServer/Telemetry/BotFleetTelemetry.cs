using BotFleet.JobApi.Contracts;
using BotFleet.JobServer.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BotFleet.JobServer.Telemetry;

/// <summary>
/// OpenTelemetry for a BotFleet host: BotFleet's meters and activity source, ASP.NET Core and HttpClient
/// instrumentation, and the exporters <see cref="TelemetryOptions.Exporters"/> names. With none (the default) the SDK is
/// not added at all.
/// </summary>
public static class BotFleetTelemetry
{
    /// <param name="serviceName">The service.name resource of everything this host exports.</param>
    /// <param name="meters">Meters of this host besides the job server's (the silo adds the scheduler's and Orleans').</param>
    public static IServiceCollection AddBotFleetTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName, params string[] meters)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        var options = section.Get<TelemetryOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        if (options.Exporters == TelemetryExporters.None)
        {
            return services;
        }

        services.AddSingleton<JobQueueGauges>();
        services.AddHostedService(provider => provider.GetRequiredService<JobQueueGauges>());
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([JobServerMetrics.MeterName, .. meters])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Exporters.HasFlag(TelemetryExporters.Otlp))
                {
                    metrics.AddOtlpExporter(otlp => SetEndpoint(otlp, options));
                }

                if (options.Exporters.HasFlag(TelemetryExporters.Console))
                {
                    metrics.AddConsoleExporter();
                }

                if (options.Exporters.HasFlag(TelemetryExporters.Prometheus))
                {
                    // A scraper asks every 15–60 s: a cached answer (300 ms by default) saves nothing and shows a state already gone.
                    metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(JobTraceContext.ActivitySourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Exporters.HasFlag(TelemetryExporters.Otlp))
                {
                    tracing.AddOtlpExporter(otlp => SetEndpoint(otlp, options));
                }

                if (options.Exporters.HasFlag(TelemetryExporters.Console))
                {
                    tracing.AddConsoleExporter();
                }
            });
        return services;
    }

    /// <summary>Maps the Prometheus scrape endpoint when that exporter is on, behind the operator API's access rule.</summary>
    public static IEndpointRouteBuilder MapBotFleetTelemetry(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.Exporters.HasFlag(TelemetryExporters.Prometheus))
        {
            endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath).RequireProducerAccess();
        }

        return endpoints;
    }

    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions otlp, TelemetryOptions options)
    {
        if (options.OtlpEndpoint is { } endpoint)
        {
            otlp.Endpoint = endpoint;
        }
    }
}
