using BotFleet.JobServer.Storage;
using BotFleet.JobServer.Storage.PostgreSql;
using BotFleet.JobServer.Storage.Sqlite;
using BotFleet.JobServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.JobServer.Tests.Storage;

public sealed class JobStoreSelectionTests
{
    [Theory]
    [InlineData(null, typeof(SqliteJobStore))]
    [InlineData("Sqlite", typeof(SqliteJobStore))]
    [InlineData("PostgreSql", typeof(PostgreSqlJobStore))]
    [InlineData("postgresql", typeof(PostgreSqlJobStore))]
    public async Task AddBotFleetJobStore_StoreSetting_PicksThatStore(string? store, Type expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobServer:Store"] = store,
            ["JobServer:PostgreSqlConnectionString"] = "Host=127.0.0.1;Database=unused",
            ["JobServer:DatabasePath"] = Path.Combine(Path.GetTempPath(), $"botfleet-selection-{Guid.NewGuid():N}.db"),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddBotFleetJobStore(configuration);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType(expected, provider.GetRequiredService<IJobStore>());
    }

    [Fact]
    public async Task Start_PostgreSqlWithoutConnectionString_FailsWithClearMessage()
    {
        var error = await ConfiguredServer.StartRefusedAsync(("JobServer:Store", "PostgreSql"));

        Assert.Contains("JobServer:PostgreSqlConnectionString must be set when JobServer:Store is PostgreSql.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_SqliteWithoutConnectionString()
    {
        var options = new JobServerOptions();

        Assert.Equal((JobStoreKind.Sqlite, (string?)null), (options.Store, options.PostgreSqlConnectionString));
    }
}
