using BotFleet.JobApi.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The silo process with its embedded job server on SQLite, as a user starts it (the bots are the caller's arguments),
/// and a job API client for it; ready when this returns.
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly ServiceProvider _services;

    private EmbeddedSilo(TempDirectory directory, AppProcess silo, Uri address, ServiceProvider services)
    {
        _directory = directory;
        Silo = silo;
        _services = services;
        Http = new HttpClient { BaseAddress = address };
        Client = services.GetRequiredService<JobApiClient>();
    }

    public AppProcess Silo { get; }

    public HttpClient Http { get; }

    public JobApiClient Client { get; }

    public IJobProducerClient Producer => Client;

    /// <param name="arguments">The bots and any other settings, after the defaults (so they win).</param>
    public static async Task<EmbeddedSilo> StartAsync(IEnumerable<string> arguments)
    {
        var directory = new TempDirectory();
        var commandLine = SiloCommandLine.OnLoopback()
            .StateInSqlite(directory.File("orleans.db"))
            .WithEmbeddedJobServer(directory.File("jobs.db"))
            .With("--Logging:LogLevel:Default=Warning")
            .With([.. arguments]);
        var address = commandLine.HttpAddress;
        var silo = AppProcess.StartSilo(directory.Path, commandLine.ToArray());
        var services = new ServiceCollection();
        services.AddJobApiClient(address, TimeSpan.FromSeconds(10));
        var provider = services.BuildServiceProvider();
        var fleet = new EmbeddedSilo(directory, silo, address, provider);
        try
        {
            await silo.WaitUntilReadyAsync(address, fleet.Http, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Silo.DisposeAsync();
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
