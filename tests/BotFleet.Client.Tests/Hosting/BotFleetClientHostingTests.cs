using System.Net;
using System.Net.Sockets;
using BotFleet.Client.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;

namespace BotFleet.Client.Tests.Hosting;

/// <summary>AddBotFleetClient wiring, options validation and the unreachable-silo failure.</summary>
public sealed class BotFleetClientHostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddBotFleetClient_BindsSectionIntoOrleansOptions()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["BotFleet:Client:GatewayPort"] = "30123";
        builder.Configuration["BotFleet:Client:ClusterId"] = "c1";
        builder.AddBotFleetClient();
        using var host = builder.Build();

        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        var gateways = host.Services.GetRequiredService<IOptions<StaticGatewayListProviderOptions>>().Value.Gateways;

        Assert.Equal("c1", cluster.ClusterId);
        Assert.Equal("botfleet", cluster.ServiceId);
        Assert.Equal(new Uri("gwy.tcp://127.0.0.1:30123/0"), Assert.Single(gateways));
        Assert.IsType<FleetClient>(host.Services.GetRequiredService<IFleetClient>());
    }

    [Fact]
    public async Task AddBotFleetClient_InvalidOptions_FailsStartUpBeforeConnecting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["BotFleet:Client:GatewayPort"] = "0";
        builder.Configuration["BotFleet:Client:ServiceId"] = "";
        builder.Configuration["BotFleet:Client:ConnectRetry"] = "02:00:00";
        builder.Logging.ClearProviders();
        builder.AddBotFleetClient();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Equal(
            [
                "BotFleet:Client:ConnectRetry (or its earlier spelling ConnectRetrySeconds) must be between 00:00:00 and 01:00:00, got 02:00:00.",
                "BotFleet:Client:GatewayPort must be between 1 and 65535, got 0.",
                "BotFleet:Client:ServiceId must name the silo's service id.",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ConnectRetry_IsATimeSpan_AndTheEarlierSecondsKeyIsStillRead()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["BotFleet:Client:ConnectRetry"] = "00:00:05";
        builder.AddBotFleetClient();
        using var host = builder.Build();
        var older = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        older.Configuration["BotFleet:Client:ConnectRetrySeconds"] = "7";
        older.AddBotFleetClient();
        using var olderHost = older.Build();

        Assert.Equal(TimeSpan.FromSeconds(30), new BotFleetClientOptions().ConnectRetry);
        Assert.Equal(TimeSpan.FromSeconds(5), host.Services.GetRequiredService<IOptions<BotFleetClientOptions>>().Value.ConnectRetry);
        Assert.Equal(TimeSpan.FromSeconds(7), olderHost.Services.GetRequiredService<IOptions<BotFleetClientOptions>>().Value.ConnectRetry);
    }

    [Fact]
    public void ConnectRetrySeconds_SetInCode_ReadsAndSetsConnectRetry()
    {
#pragma warning disable CS0618 // The earlier spelling is what this test is about.
        var options = new BotFleetClientOptions { ConnectRetrySeconds = 12 };

        Assert.Equal(TimeSpan.FromSeconds(12), options.ConnectRetry);
        options.ConnectRetry = TimeSpan.FromMinutes(2);
        Assert.Equal(120, options.ConnectRetrySeconds);
#pragma warning restore CS0618
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsFleetUnavailableQuickly()
    {
        var port = FreeLoopbackPort();

        var error = await Assert.ThrowsAsync<FleetUnavailableException>(() =>
            FleetConnection.ConnectAsync(new BotFleetClientOptions { GatewayPort = port, ConnectRetry = TimeSpan.Zero }, Ct));

        Assert.Equal(
            $"The BotFleet silo is unreachable at gateway 127.0.0.1:{port} (Unable to connect to any of the 1 available gateways.). Is the silo running?",
            error.Message);
    }

    [Fact]
    public async Task ConnectRetryFilter_RetriesOnceASecondUntilTheBudgetIsSpent()
    {
        var time = new FakeTimeProvider();
        var filter = new ConnectRetryFilter(Options.Create(new BotFleetClientOptions { ConnectRetry = TimeSpan.FromSeconds(2) }), time);
        var failure = new InvalidOperationException("refused");

        var first = filter.ShouldRetryConnectionAttempt(failure, Ct);
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await first);

        var second = filter.ShouldRetryConnectionAttempt(failure, Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await second);

        Assert.False(await filter.ShouldRetryConnectionAttempt(failure, Ct));
    }

    [Fact]
    public async Task ConnectRetryFilter_ZeroBudget_NeverRetries()
    {
        var filter = new ConnectRetryFilter(Options.Create(new BotFleetClientOptions { ConnectRetry = TimeSpan.Zero }), new FakeTimeProvider());

        Assert.False(await filter.ShouldRetryConnectionAttempt(new InvalidOperationException("refused"), Ct));
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
