using BotFleet.Storage.Hosting;
using BotFleet.Storage.Tests.Fixtures;
using BotFleet.Storage.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotFleet.Storage.Tests.Hosting;

/// <summary>The wiring a real silo host uses: default localhost clustering, schema created at start-up.</summary>
public sealed class SqliteHostTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task UseBotFleetSqlite_HostRestarted_StateAndReminderSurvive()
    {
        var path = _folder.File("host/botfleet.db");
        var cancellationToken = TestContext.Current.CancellationToken;

        using (var host = BuildHost(path))
        {
            await host.StartAsync(cancellationToken);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IProfileGrain>("host-profile").SetNameAsync("Katherine");
            await grains.GetGrain<IProfileGrain>("host-profile").RegisterReminderAsync("weekly");
            await grains.GetGrain<ICounterGrain>(7).IncrementAsync();
            await host.StopAsync(cancellationToken);
        }

        using (var host = BuildHost(path))
        {
            await host.StartAsync(cancellationToken);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            Assert.Equal("Katherine", await grains.GetGrain<IProfileGrain>("host-profile").GetNameAsync());
            Assert.True(await grains.GetGrain<IProfileGrain>("host-profile").HasReminderAsync("weekly"));
            Assert.Equal(2, await grains.GetGrain<ICounterGrain>(7).IncrementAsync());
            await host.StopAsync(cancellationToken);
        }
    }

    public void Dispose() => _folder.Dispose();

    private static IHost BuildHost(string path)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.UseBotFleetSqlite(options =>
        {
            options.DatabasePath = path;
            // Free ports, so this test does not collide with anything else running on the machine.
            options.SiloPort = FreePort.Next();
            options.GatewayPort = FreePort.Next();
        }));
        return builder.Build();
    }
}
