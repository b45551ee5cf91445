using System.Globalization;
using BotFleet.Client;
using BotFleet.Client.Hosting;
using BotFleet.Contracts.Bots;
using BotFleet.JobApi.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A BotFleet cluster as an operator runs it: the standalone job server and silos as real processes, all on one
/// PostgreSQL, on loopback ports. Silos are started, killed and stopped one by one; the test reads the fleet through
/// a client connected to a silo it keeps alive.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<ClusterSilo> _silos = [];
    private readonly string _jobsDatabase;
    private readonly string _orleansDatabase;
    private readonly IReadOnlyList<string> _botSettings;
    private readonly ServiceProvider _clientServices;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private ProcessCluster(string jobsDatabase, string orleansDatabase, IReadOnlyList<string> botSettings)
    {
        _jobsDatabase = jobsDatabase;
        _orleansDatabase = orleansDatabase;
        _botSettings = botSettings;
        JobServerPort = FreePort.Next();
        JobServerAddress = new Uri($"http://127.0.0.1:{JobServerPort}");
        var services = new ServiceCollection();
        services.AddJobApiClient(JobServerAddress, TimeSpan.FromSeconds(30));
        _clientServices = services.BuildServiceProvider();
        Producer = _clientServices.GetRequiredService<IJobProducerClient>();
    }

    public int JobServerPort { get; }

    public Uri JobServerAddress { get; }

    public IJobProducerClient Producer { get; }

    public AppProcess? JobServer { get; private set; }

    public IReadOnlyList<ClusterSilo> Silos => _silos;

    /// <summary>
    /// The job server on <paramref name="jobsDatabase"/>; silos keep Orleans state in <paramref name="orleansDatabase"/>.
    /// <paramref name="botSettings"/> are the BotFleet:Bots settings the first silo starts the fleet with.
    /// </summary>
    public static async Task<ProcessCluster> StartAsync(string jobsDatabase, string orleansDatabase, IReadOnlyList<string> botSettings, CancellationToken cancellationToken)
    {
        var cluster = new ProcessCluster(jobsDatabase, orleansDatabase, botSettings);
        await cluster.StartJobServerAsync(cancellationToken);
        return cluster;
    }

    /// <summary>Starts the job server (again, after a kill: same port, same database) and waits until it is ready.</summary>
    public async Task StartJobServerAsync(CancellationToken cancellationToken)
    {
        if (JobServer is not null)
        {
            await JobServer.DisposeAsync();
        }

        JobServer = AppProcess.StartJobServer(_temp.Path,
        [
            "--urls", JobServerAddress.ToString(),
            "--JobServer:Store=PostgreSql",
            $"--JobServer:PostgreSqlConnectionString={_jobsDatabase}",
            // Leases a kill -9 can strand (claimed, not yet recorded by the bot) expire within the test;
            // heartbeats keep the running ones.
            "--JobServer:JobLeaseTtl=00:00:20",
            "--JobServer:HeartbeatInterval=00:00:03",
            "--JobServer:RetryBackoffBase=00:00:00.200",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await WaitReadyAsync(JobServerAddress, JobServer, cancellationToken);
    }

    /// <summary>Starts a silo and waits until its /health/ready answers 200 (joined, storage answers).</summary>
    public async Task<ClusterSilo> StartSiloAsync(string name, bool startConfiguredBots, CancellationToken cancellationToken)
    {
        var silo = new ClusterSilo(name, FreePort.Next(), FreePort.Next(), FreePort.Next());
        _silos.Add(silo);
        await LaunchAsync(silo, startConfiguredBots, cancellationToken);
        return silo;
    }

    /// <summary>
    /// Starts a silo that was killed or stopped again on its own ports, as a service manager restarts it: the new
    /// silo declares its own predecessor dead at once instead of waiting for the cluster to notice.
    /// </summary>
    public async Task RestartSiloAsync(ClusterSilo silo, bool startConfiguredBots, CancellationToken cancellationToken)
    {
        if (silo.Process is { } previous)
        {
            await previous.DisposeAsync();
        }

        await LaunchAsync(silo, startConfiguredBots, cancellationToken);
    }

    private async Task LaunchAsync(ClusterSilo silo, bool startConfiguredBots, CancellationToken cancellationToken)
    {
        var arguments = SiloCommandLine.OnLoopback(silo.HttpAddress, silo.SiloPort, silo.GatewayPort)
            .StateInPostgreSql(_orleansDatabase)
            .WithJobServer(JobServerAddress)
            .Quiet()
            .With(
                "--BotFleet:Silo:AdvertisedAddress=127.0.0.1",
                $"--BotFleet:Silo:StartConfiguredBots={startConfiguredBots.ToString(CultureInfo.InvariantCulture)}",
                "--Logging:LogLevel:BotFleet.Scheduling.Fleet=Information")
            .WithSettings(_botSettings);
        silo.Process = AppProcess.StartSilo(_temp.Path, arguments.ToArray());
        await WaitReadyAsync(silo.HttpAddress, silo.Process, cancellationToken);
    }

    /// <summary>A client on <paramref name="silo"/>'s gateway.</summary>
    public static Task<FleetConnection> ConnectAsync(ClusterSilo silo, CancellationToken cancellationToken) =>
        FleetConnection.ConnectAsync(new BotFleetClientOptions { GatewayPort = silo.GatewayPort }, cancellationToken);

    /// <summary>The silo a bot's status names (its address as text: "S127.0.0.1:port:generation").</summary>
    public ClusterSilo? SiloOf(BotStatus bot) =>
        bot.Silo is { } address ? _silos.FirstOrDefault(s => address.StartsWith($"S127.0.0.1:{s.SiloPort}:", StringComparison.Ordinal)) : null;

    /// <summary>200 from /health/ready, or the status and body it answered.</summary>
    public async Task<(int Status, string Body)> ReadyAsync(Uri address, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(address, "/health/ready"), cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            if (silo.Process is { } process)
            {
                await process.DisposeAsync();
            }
        }

        if (JobServer is not null)
        {
            await JobServer.DisposeAsync();
        }

        await _clientServices.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    private Task WaitReadyAsync(Uri address, AppProcess process, CancellationToken cancellationToken) =>
        process.WaitUntilReadyAsync(address, _http, TimeSpan.FromSeconds(90), cancellationToken);
}
