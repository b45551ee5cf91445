using BotFleet.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>Silos on PostgreSQL with ADO.NET membership; their logs go to <see cref="CapturedLogs"/>.</summary>
public sealed class PostgreSqlSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[TestSettings.PostgreSql]
            ?? throw new InvalidOperationException($"{TestSettings.PostgreSql} is not set.");
        siloBuilder.UseBotFleetPostgreSql(connectionString);
        siloBuilder.AddAdoNetGrainStorage(TestSettings.DeletingStore, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
            options.DeleteStateOnClear = true;
        });
        siloBuilder.Services.AddSingleton<ILoggerProvider>(CapturedLogs.Provider);
        siloBuilder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
    }
}
