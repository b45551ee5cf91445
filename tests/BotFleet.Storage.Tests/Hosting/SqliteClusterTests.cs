using BotFleet.Storage.Tests.Grains;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace BotFleet.Storage.Tests.Hosting;

public sealed class SqliteClusterTests(SqliteClusterFixture fixture) : ClusterContractTests(fixture.Cluster, activeSilos: 1), IClassFixture<SqliteClusterFixture>
{
    [Fact]
    public async Task NamedStore_SiloRestarted_StateReadsBack()
    {
        var key = $"profile-{Guid.NewGuid():N}";
        await fixture.Cluster.Client.GetGrain<IProfileGrain>(key).SetNameAsync("Ada");

        await fixture.Cluster.RestartAllSilosAsync();

        var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>(key);
        Assert.Equal("Ada", await profile.GetNameAsync());
        Assert.True(await profile.RecordExistsAsync());
    }

    [Fact]
    public async Task DefaultStore_SiloRestarted_StateReadsBack()
    {
        var key = Random.Shared.NextInt64();
        await fixture.Cluster.Client.GetGrain<ICounterGrain>(key).IncrementAsync();
        await fixture.Cluster.Client.GetGrain<ICounterGrain>(key).IncrementAsync();

        await fixture.Cluster.RestartAllSilosAsync();

        Assert.Equal(3, await fixture.Cluster.Client.GetGrain<ICounterGrain>(key).IncrementAsync());
    }

    [Fact]
    public async Task Reminder_SiloRestarted_IsStillRegistered()
    {
        var key = $"reminder-{Guid.NewGuid():N}";
        await fixture.Cluster.Client.GetGrain<IProfileGrain>(key).RegisterReminderAsync("nightly");

        await fixture.Cluster.RestartAllSilosAsync();

        var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>(key);
        Assert.True(await profile.HasReminderAsync("nightly"));
        Assert.False(await profile.HasReminderAsync("never-registered"));
    }

    [Fact]
    public async Task ClearState_ThenReactivated_StartsEmpty()
    {
        var key = $"clear-{Guid.NewGuid():N}";
        var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>(key);
        await profile.SetNameAsync("Grace");

        await profile.ClearAsync();
        await fixture.Cluster.DeactivateAsync(profile);

        Assert.Null(await profile.GetNameAsync());
        Assert.False(await profile.RecordExistsAsync());
        await profile.SetNameAsync("Grace again");
        Assert.Equal("Grace again", await profile.GetNameAsync());
    }

    [Fact]
    public async Task GrainState_IsStoredInOrleansBinaryFormat_AndAJsonRowOfAnEarlierVersionStillReadsBack()
    {
        var key = $"format-{Guid.NewGuid():N}";
        var profile = fixture.Cluster.Client.GetGrain<IProfileGrain>(key);
        await profile.SetNameAsync($"binary-{key}");

        // Binary rows carry the string but do not start as JSON does.
        var stored = await PayloadContainingAsync($"binary-{key}");
        Assert.NotEqual((byte)'{', Assert.Single(stored)[0]);

        // Rewrite the row as an earlier version (JSON) would have stored it; the grain reads it back.
        var json = ClusterRestarts.ServicesOf(fixture.Cluster.Silos[0]).GetRequiredService<IGrainStorageSerializer>()
            .Serialize(new ProfileState { Name = $"json-{key}" }).ToArray();
        Assert.Equal((byte)'{', json[0]);
        await using (var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var update = new SqliteCommand("UPDATE OrleansGrainState SET Payload = @json WHERE instr(Payload, @marker) > 0", connection);
            update.Parameters.AddWithValue("@json", json);
            update.Parameters.AddWithValue("@marker", System.Text.Encoding.UTF8.GetBytes($"binary-{key}"));
            Assert.Equal(1, await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        await fixture.Cluster.DeactivateAsync(profile);

        Assert.Equal($"json-{key}", await profile.GetNameAsync());
        await profile.SetNameAsync($"again-{key}");
        Assert.NotEqual((byte)'{', Assert.Single(await PayloadContainingAsync($"again-{key}"))[0]);
    }

    private async Task<List<byte[]>> PayloadContainingAsync(string text)
    {
        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new SqliteCommand("SELECT Payload FROM OrleansGrainState WHERE instr(Payload, @marker) > 0", connection);
        query.Parameters.AddWithValue("@marker", System.Text.Encoding.UTF8.GetBytes(text));
        var payloads = new List<byte[]>();
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            payloads.Add((byte[])reader[0]);
        }

        return payloads;
    }

    [Fact]
    public async Task Membership_ActiveSilo_IsInSqliteTable()
    {
        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new SqliteCommand("SELECT COUNT(*) FROM OrleansMembership WHERE Status = 3", connection);

        Assert.Equal(1L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
