using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>The client finds gateways through the SQLite membership table (GatewaysQueryKey).</summary>
public sealed class SqliteClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var path = configuration[TestSettings.SqlitePath]
            ?? throw new InvalidOperationException($"{TestSettings.SqlitePath} is not set.");
        clientBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = "System.Data.SQLite";
            options.ConnectionString = $"Data Source={path}";
        });
    }
}
