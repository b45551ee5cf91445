using System.Net;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.JobServer;
using BotFleet.JobServer.Health;
using BotFleet.JobServer.Telemetry;
using BotFleet.Silo.Hosting.Health;
using BotFleet.Scheduling.Hosting;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Storage.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace BotFleet.Silo.Hosting;

public static class BotFleetSiloExtensions
{
    /// <summary>Configuration section bound to Orleans' <see cref="ClusterMembershipOptions"/> (failure detection).</summary>
    public const string MembershipSectionName = "BotFleet:Membership";

    /// <summary>Configuration section bound to Orleans' <see cref="GrainDirectoryOptions"/> (the grain-location cache).</summary>
    public const string GrainDirectorySectionName = "BotFleet:GrainDirectory";

    /// <summary>
    /// Grain locations a silo caches. Orleans' default, 1,000,000, sizes the cache's dictionary for a million entries up
    /// front, and its size gauge walks every bucket of it once a second while the dashboard (or any metrics listener)
    /// collects: half the CPU of an idle silo (issue 7's profile), and at 100,000 still a twentieth of an idle fleet's.
    /// A silo calls few grains elsewhere (bots claim, run and report on their own silo; the roster and clients start and
    /// ask them), and a miss costs one directory lookup.
    /// </summary>
    public const int GrainDirectoryCacheSize = 10_000;

    /// <summary>The meter of Orleans' own instruments (grain calls, activations, messaging), exported with BotFleet's.</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>
    /// The whole BotFleet process: an Orleans silo (state on SQLite or PostgreSQL), the bots'
    /// scheduler and worker grains, the job API client, and — unless disabled — the job server.
    /// </summary>
    public static WebApplicationBuilder AddBotFleetSilo(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName, o => o.ErrorOnUnknownConfiguration = true).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        services.AddOptions<FleetOptions>().Configure<IConfiguration>((o, c) => o.Bind(c.GetSection(FleetOptions.SectionName))).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FleetOptions>, FleetOptionsValidator>();

        // Storage must be chosen while the silo is configured, before options validation runs; check it here too.
        var silo = builder.Configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new SiloOptions();
        var annotations = new DataAnnotationValidateOptions<SiloOptions>(null).Validate(null, silo);
        var validation = new SiloOptionsValidator().Validate(null, silo);
        var failures = (annotations.Failures ?? []).Concat(validation.Failures ?? []).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SiloOptions.SectionName, typeof(SiloOptions), failures);
        }

        // PostgreSQL silos listen on every address; the embedded default on loopback.
        var listenOn = silo.Storage == SiloStorage.PostgreSql ? IPAddress.Any : IPAddress.Loopback;
        SiloPorts.EnsureFree(listenOn, silo.SiloPort, $"{SiloOptions.SectionName}:{nameof(SiloOptions.SiloPort)}");
        SiloPorts.EnsureFree(listenOn, silo.GatewayPort, $"{SiloOptions.SectionName}:{nameof(SiloOptions.GatewayPort)}");
        SiloPorts.EnsureUrlsFree(builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : JobServerApp.DefaultUrl);
        builder.Logging.ReportStartFailuresOnce();

        builder.UseOrleans(siloBuilder =>
        {
            siloBuilder.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "botfleet";
                o.ServiceId = "botfleet";
            });
            if (silo.Storage == SiloStorage.PostgreSql)
            {
                siloBuilder.UseBotFleetPostgreSql(silo.PostgreSqlConnectionString!);
                if (silo.AdvertisedAddress is { } address)
                {
                    siloBuilder.ConfigureEndpoints(IPAddress.Parse(address), silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
                }
                else
                {
                    siloBuilder.ConfigureEndpoints(silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
                }
            }
            else
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(silo.SqlitePath));
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                siloBuilder.UseBotFleetSqlite(o =>
                {
                    o.DatabasePath = silo.SqlitePath;
                    o.SiloPort = silo.SiloPort;
                    o.GatewayPort = silo.GatewayPort;
                });
            }

            // Failure detection tuned so a dead silo's bots resume within seconds (Orleans' defaults take 15-20 s),
            // and a silo starting where every other member died sees their entries as stale after 30 s, not 90 s;
            // every ClusterMembershipOptions setting can be overridden under BotFleet:Membership.
            siloBuilder.Services.AddOptions<ClusterMembershipOptions>()
                .Configure(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(2);
                    o.NumMissedProbesLimit = 3;
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                })
                .BindConfiguration(MembershipSectionName, o => o.ErrorOnUnknownConfiguration = true);
            siloBuilder.Services.AddOptions<GrainDirectoryOptions>()
                .Configure(o => o.CacheSize = GrainDirectoryCacheSize)
                .BindConfiguration(GrainDirectorySectionName, o => o.ErrorOnUnknownConfiguration = true);
            siloBuilder.AddBotFleetScheduling();
            if (silo.Dashboard)
            {
                siloBuilder.AddDashboard(o => o.CounterUpdateIntervalMs = (int)silo.DashboardUpdateInterval.TotalMilliseconds);
            }
        });

        services.AddSiloHealthChecks();
        // problem+json for every error the silo's own endpoints (dashboard, health) answer too.
        services.AddProblemDetails();
        var resilience = builder.Configuration.GetSection(JobApiResilienceOptions.SectionName);
        var jobApi = services.AddJobApiClient(silo.JobServerUrl, silo.JobApiTimeout).AddJobApiResilience(resilience.Bind);
        var enrollmentKey = silo.EnrollmentKey ?? (silo.EmbeddedJobServer ? builder.Configuration["JobServer:EnrollmentKey"] : null);
        if (!string.IsNullOrEmpty(enrollmentKey))
        {
            jobApi.ConfigureHttpClient(http => http.DefaultRequestHeaders.Add(JobApiHeaders.EnrollmentKey, enrollmentKey));
        }

        if (silo.EmbeddedJobServer)
        {
            services.AddBotFleetJobServer(builder.Configuration);
        }

        if (silo.StartConfiguredBots)
        {
            services.AddHostedService<ConfiguredBotsStarter>();
        }

        services.AddBotFleetTelemetry(builder.Configuration, "botfleet-silo", SchedulerMetrics.MeterName, OrleansMeterName);

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(JobServerApp.DefaultUrl);
        }

        return builder;
    }

    /// <summary>Maps the job API (when embedded), the dashboard and the health endpoints.</summary>
    public static WebApplication MapBotFleetSilo(this WebApplication app)
    {
        var silo = app.Services.GetRequiredService<IOptions<SiloOptions>>().Value;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (silo.EmbeddedJobServer)
        {
            app.MapOpenApi();
            app.MapBotFleetJobApi();
        }

        // The job server's health endpoints serve the silo's checks too (all tagged ready), embedded or not.
        app.MapBotFleetJobServerHealth();
        app.MapBotFleetTelemetry();

        if (silo.Dashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard");
        }

        return app;
    }
}
