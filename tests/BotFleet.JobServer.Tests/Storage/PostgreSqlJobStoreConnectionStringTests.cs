using BotFleet.JobServer.Storage.PostgreSql;
using Npgsql;

namespace BotFleet.JobServer.Tests.Storage;

public sealed class PostgreSqlJobStoreConnectionStringTests
{
    private const string Given = "Host=127.0.0.1;Port=5433;Username=botfleet;Password=secret;Database=jobs";

    [Fact]
    public void From_NoAutoPrepareChosen_PreparesUpToTheDefaultAndKeepsEverythingElse()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgreSqlJobStoreConnectionString.From(Given));

        Assert.Equal(PostgreSqlJobStoreConnectionString.DefaultMaxAutoPrepare, built.MaxAutoPrepare);
        Assert.Equal("127.0.0.1", built.Host);
        Assert.Equal(5433, built.Port);
        Assert.Equal("botfleet", built.Username);
        Assert.Equal("secret", built.Password);
        Assert.Equal("jobs", built.Database);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("MaxAutoPrepare=5", 5)]
    [InlineData("max auto prepare=200", 200)]
    public void From_AutoPrepareChosen_KeepsTheChoice(string setting, int expected)
    {
        var built = new NpgsqlConnectionStringBuilder(PostgreSqlJobStoreConnectionString.From($"{Given};{setting}"));

        Assert.Equal(expected, built.MaxAutoPrepare);
    }
}
