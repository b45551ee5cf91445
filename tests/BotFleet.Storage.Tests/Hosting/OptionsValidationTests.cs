using BotFleet.Storage.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BotFleet.Storage.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void UseBotFleetSqlite_EmptyPath_FailsNamingTheOption()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Configure(silo => silo.UseBotFleetSqlite(" ")));

        Assert.Contains("DatabasePath is required", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseBotFleetSqlite_SamePorts_FailsNamingBoth()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Configure(silo => silo.UseBotFleetSqlite(options =>
        {
            options.DatabasePath = "x.db";
            options.SiloPort = 4000;
            options.GatewayPort = 4000;
        })));

        Assert.Contains("SiloPort and GatewayPort must differ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseBotFleetPostgreSql_MalformedConnectionString_FailsWithoutEchoingIt()
    {
        const string Secret = "Host=db;Password=hunter2;Bogus Key=1";

        var exception = Assert.Throws<OptionsValidationException>(() => Configure(silo => silo.UseBotFleetPostgreSql(Secret)));

        Assert.Contains("not a valid Npgsql connection string", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseBotFleetPostgreSql_Empty_FailsNamingTheOption()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Configure(silo => silo.UseBotFleetPostgreSql("")));

        Assert.Contains("ConnectionString is required", exception.Message, StringComparison.Ordinal);
    }

    private static void Configure(Action<Orleans.Hosting.ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(configure);
    }
}
