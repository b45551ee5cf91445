using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotFleet.Client.Hosting;

/// <summary>
/// A connected client for short-lived callers (command-line tools, scripts) that have no host
/// of their own: it runs a minimal host with <see cref="BotFleetClientHostApplicationBuilderExtensions.AddBotFleetClient"/>
/// and disconnects when disposed. Long-running apps should call AddBotFleetClient on their own builder.
/// </summary>
public sealed class FleetConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private FleetConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IFleetClient>();
    }

    public IFleetClient Client { get; }

    /// <summary>Connects to the silo described by <paramref name="options"/>.</summary>
    /// <exception cref="FleetUnavailableException">No silo answered on the gateway port.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are out of range.</exception>
    public static async Task<FleetConnection> ConnectAsync(BotFleetClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        // The caller owns the console: no log lines in its output, and no Ctrl+C handling of ours.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.AddBotFleetClient();

        // Applied after the configuration binding, so the caller's values win.
        builder.Services.Configure<BotFleetClientOptions>(o =>
        {
            o.GatewayPort = options.GatewayPort;
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
            o.ConnectRetry = options.ConnectRetry;
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new FleetConnection(host);
        }
        catch (Exception ex) when (FleetClient.IsUnavailable(ex) || ex is Orleans.Runtime.OrleansException)
        {
            host.Dispose();
            throw FleetClient.Unavailable(options.GatewayPort, ex);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Closing a client whose silo has gone must not hang the caller's exit.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (FleetClient.IsUnavailable(ex) || ex is OperationCanceledException)
        {
        }
        finally
        {
            _host.Dispose();
        }
    }

    /// <summary>A lifetime that neither listens for signals nor prints start-up lines.</summary>
    private sealed class PassiveHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
