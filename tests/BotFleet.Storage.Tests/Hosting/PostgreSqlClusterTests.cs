using BotFleet.Storage.Tests.Fixtures;
using BotFleet.Storage.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace BotFleet.Storage.Tests.Hosting;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlClusterTests(PostgreSqlClusterFixture fixture) : ClusterContractTests(fixture.Cluster, activeSilos: 2), IClassFixture<PostgreSqlClusterFixture>
{
    [Fact]
    public async Task TwoSilos_FormClusterThroughPostgreSqlMembership()
    {
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);

        var active = await management.GetHosts(onlyActive: true, TestContext.Current.CancellationToken);

        Assert.Equal(2, active.Count);
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM OrleansMembership WHERE Status = 3"));
        // Every grain is reachable whichever silo it lands on.
        var names = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>($"spread-{i}-{Guid.NewGuid():N}");
            await profile.SetNameAsync($"n{i}");
            return await profile.GetNameAsync();
        }));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"n{i}"), names);
    }

    [Fact]
    public async Task StateAndReminder_AllSilosRestarted_ReadBack()
    {
        var key = $"pg-{Guid.NewGuid():N}";
        var counterKey = Random.Shared.NextInt64();
        await fixture.Cluster.Client.GetGrain<IProfileGrain>(key).SetNameAsync("Lin");
        await fixture.Cluster.Client.GetGrain<IProfileGrain>(key).RegisterReminderAsync("hourly");
        await fixture.Cluster.Client.GetGrain<ICounterGrain>(counterKey).IncrementAsync();

        await fixture.Cluster.RestartAllSilosAsync();

        var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>(key);
        Assert.Equal("Lin", await profile.GetNameAsync());
        Assert.True(await profile.HasReminderAsync("hourly"));
        Assert.Equal(2, await fixture.Cluster.Client.GetGrain<ICounterGrain>(counterKey).IncrementAsync());
        Assert.Equal(2, (await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task ClearState_ThenReactivated_StartsEmpty()
    {
        var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>($"pg-clear-{Guid.NewGuid():N}");
        await profile.SetNameAsync("Grace");

        await profile.ClearAsync();
        await fixture.Cluster.DeactivateAsync(profile);

        Assert.Null(await profile.GetNameAsync());
        Assert.False(await profile.RecordExistsAsync());
    }

    [Fact]
    public void SiloLogs_NeverContainThePassword()
    {
        Assert.NotEmpty(CapturedLogs.All);
        Assert.DoesNotContain(CapturedLogs.All, line => line.Contains(PostgreSqlClusterFixture.Password, StringComparison.Ordinal));
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
