using BotFleet.JobApi.Client;
using BotFleet.Scheduling;
using BotFleet.Scheduling.Hosting;
using BotFleet.Scheduling.Scheduling;
using BotFleet.Storage.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Builds a TestCluster whose silos run the real scheduling grains against a real job server,
/// with grain state and reminders in a SQLite file that outlives any silo.
/// </summary>
public static class BotFleetTestSilo
{
    private const string ServerKey = "E2E:JobServer";
    private const string DatabaseKey = "E2E:OrleansDatabase";
    private const string PostgreSqlKey = "E2E:OrleansPostgreSql";

    public static TestCluster Build(Uri jobServer, string orleansDatabase)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[ServerKey] = jobServer.ToString();
        builder.Properties[DatabaseKey] = orleansDatabase;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        return builder.Build();
    }

    /// <summary>Several silos sharing grain state and reminders in one PostgreSQL database.</summary>
    public static TestCluster BuildOnPostgreSql(Uri jobServer, string connectionString, short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties[ServerKey] = jobServer.ToString();
        builder.Properties[PostgreSqlKey] = connectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        return builder.Build();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            if (configuration[PostgreSqlKey] is { Length: > 0 } connectionString)
            {
                // Membership stays the test cluster's own; state and reminders go to PostgreSQL.
                siloBuilder.UseBotFleetPostgreSql(o =>
                {
                    o.ConnectionString = connectionString;
                    o.UseClustering = false;
                });
            }
            else
            {
                siloBuilder.UseBotFleetSqlite(o =>
                {
                    o.DatabasePath = configuration[DatabaseKey]!;
                    o.Clustering = SqliteClusteringMode.None;
                });
            }

            siloBuilder.AddBotFleetScheduling();
            siloBuilder.Services.AddJobApiClient(new Uri(configuration[ServerKey]!), TimeSpan.FromSeconds(10))
                .AddJobApiResilience(o =>
                {
                    o.BaseDelay = TimeSpan.FromMilliseconds(10);
                    o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
                })
                .AddHttpMessageHandler(() => new FaultInjectingHandler());
            siloBuilder.Services.Configure<SchedulerOptions>(o =>
            {
                o.TickInterval = TimeSpan.FromMilliseconds(20);
                o.MaxIdleInterval = TimeSpan.FromMilliseconds(200);
                o.MaxFailureBackoff = TimeSpan.FromMilliseconds(500);
                o.KeepAlivePeriod = TimeSpan.FromSeconds(2);
            });
            // Only so the keep-alive reminder can fire within a test; production keeps the 1-minute floor.
            siloBuilder.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
