using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>The client finds gateways through the PostgreSQL membership table (GatewaysQueryKey).</summary>
public sealed class PostgreSqlClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var connectionString = configuration[TestSettings.PostgreSql]
            ?? throw new InvalidOperationException($"{TestSettings.PostgreSql} is not set.");
        clientBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
    }
}
