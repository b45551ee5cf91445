using BotFleet.JobApi.Client;
using BotFleet.JobServer;
using BotFleet.JobServer.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>The real job server on a free loopback port, with its own SQLite file.</summary>
public sealed class LoopbackJobServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServiceProvider _clientServices;

    private LoopbackJobServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        var services = new ServiceCollection();
        services.AddJobApiClient(address, TimeSpan.FromSeconds(30));
        _clientServices = services.BuildServiceProvider();
        Producer = _clientServices.GetRequiredService<IJobProducerClient>();
        Operator = _clientServices.GetRequiredService<IJobOperatorClient>();
    }

    public Uri Address { get; }

    public IJobProducerClient Producer { get; }

    public IJobOperatorClient Operator { get; }

    /// <summary>Long-poll claims this server holds right now.</summary>
    public int ClaimsWaiting => _app.Services.GetRequiredService<ClaimWaiters>().Count;

    /// <param name="port">0 for any free port; a fixed port to bring a stopped server back at the same address.</param>
    /// <param name="time">The server's clock; a FakeTimeProvider lets a test run minutes of leases in an instant.</param>
    public static async Task<LoopbackJobServer> StartAsync(string databasePath, int port = 0, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var app = JobServerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Configuration["JobServer:DatabasePath"] = databasePath;
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.Configuration[key] = value;
            }

            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

        });
        await app.StartAsync();
        return new LoopbackJobServer(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        await _clientServices.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
