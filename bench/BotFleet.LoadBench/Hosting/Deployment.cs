using System.Diagnostics;
using System.Globalization;
using BotFleet.LoadBench.Api;
using BotFleet.LoadBench.Proxy;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// The product processes of one run, started on free loopback ports in fresh folders, and how to reach them.
/// Disposing kills every process (and stops PostgreSQL); it is what runs on success, failure and Ctrl+C alike.
/// </summary>
internal sealed class Deployment : IAsyncDisposable
{
    /// <summary>The job server's log line for each request its rate limiter refuses (event 1400, Information).</summary>
    public const string RateLimitLogText = "Job API rate limit: refused";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly List<ProcessHost> _hosts = [];
    private PostgresCluster? _postgres;
    private (string Folder, string[] Arguments)? _jobServerStart;
    private int _jobServerStarts;

    private Deployment()
    {
    }

    public JobApiDriver Api { get; private set; } = null!;

    /// <summary>The process that serves /v1 (the silo when embedded), whose log counts 429s.</summary>
    public ProcessHost JobServerHost { get; private set; } = null!;

    public List<MeasuredProcess> Measured { get; } = [];

    /// <summary>Bots that must be registered before the run starts.</summary>
    public int ExpectedBots { get; private set; } = 1;

    /// <summary>The counting proxy the bots reach the job API through, when the scenario asked for one.</summary>
    public RequestCountingProxy? Proxy { get; private set; }

    /// <summary>The silo's Orleans gateway port (for the CLI).</summary>
    public int GatewayPort { get; private set; }

    public string LogHints => string.Join(Environment.NewLine,
        _hosts.Select(h => $"  {h.Name}: {h.StdoutPath}, {h.StderrPath}")
            .Concat(_postgres is null ? [] : [$"  postgresql: {_postgres.LogPath}"]));

    /// <summary>The embedded default: one silo hosting the job server on SQLite, with the shipped settings and bots.</summary>
    public static async Task<Deployment> StartEmbeddedAsync(ProductLayout product, BenchDirectory directory, IReadOnlyList<string> extraSiloArguments, CancellationToken cancellationToken)
    {
        product.RequireBuilt(jobServer: false);
        var deployment = new Deployment();
        try
        {
            var folder = directory.Folder("silo");
            SiloSettings.WriteShipped(product, folder);
            var url = LoopbackUrl();
            var silo = deployment.Start("silo", product.SiloExecutable, folder,
                [.. deployment.SiloPorts(url), $"--BotFleet:Silo:JobServerUrl={url}", .. extraSiloArguments]);
            deployment.JobServerHost = silo;
            deployment.Api = new JobApiDriver(url);
            deployment.Measured.Add(new MeasuredProcess("silo", silo.Pid, includeChildren: false, dotNet: true));
            await deployment.WaitReadyAsync(cancellationToken);
            return deployment;
        }
        catch (Exception ex)
        {
            throw await deployment.FailedToStartAsync(ex);
        }
    }

    /// <summary>
    /// PostgreSQL, the standalone job server on it, and a silo without an embedded server whose shipped bots are
    /// replaced by <paramref name="fleet"/>.
    /// </summary>
    public static async Task<Deployment> StartPostgresAsync(
        ProductLayout product,
        BenchDirectory directory,
        FleetSpec fleet,
        IReadOnlyList<string> extraSiloArguments,
        IReadOnlyList<string> extraServerArguments,
        CancellationToken cancellationToken)
    {
        product.RequireBuilt(jobServer: true);
        var deployment = new Deployment { ExpectedBots = fleet.Bots };
        try
        {
            deployment._postgres = await PostgresCluster.StartAsync(directory.Folder("pg"), cancellationToken);
            var jobs = await deployment._postgres.CreateDatabaseAsync("botfleet_jobs", cancellationToken);

            var serverFolder = directory.Folder("jobserver");
            ProductLayout.CopySettings(product.JobServerDirectory, serverFolder);
            var serverUrl = LoopbackUrl();
            var server = deployment.Start("jobserver", product.JobServerExecutable, serverFolder,
            [
                "--urls", serverUrl.ToString(),
                "--JobServer:Store=PostgreSql",
                $"--JobServer:PostgreSqlConnectionString={jobs}",
                .. fleet.RateLimits ? Array.Empty<string>() : ["--JobServer:RateLimits:Enabled=false"],
                .. extraServerArguments,
            ]);
            deployment.JobServerHost = server;
            deployment.Api = new JobApiDriver(serverUrl);

            var state = fleet.SiloState == SiloStateStore.Postgres
                ? [
                    "--BotFleet:Silo:Storage=PostgreSql",
                    $"--BotFleet:Silo:PostgreSqlConnectionString={await deployment._postgres.CreateDatabaseAsync("botfleet_orleans", cancellationToken)}",
                    "--BotFleet:Silo:AdvertisedAddress=127.0.0.1",
                ]
                : Array.Empty<string>();
            var siloFolder = directory.Folder("silo");
            SiloSettings.WriteWithoutShippedBots(product, siloFolder);
            var silo = deployment.Start("silo", product.SiloExecutable, siloFolder,
            [
                .. deployment.SiloPorts(LoopbackUrl()),
                "--BotFleet:Silo:EmbeddedJobServer=false",
                $"--BotFleet:Silo:JobServerUrl={serverUrl}",
                .. state,
                .. fleet.SiloArguments(),
                .. extraSiloArguments,
            ]);

            deployment.Measured.Add(new MeasuredProcess("silo", silo.Pid, includeChildren: false, dotNet: true));
            deployment.Measured.Add(new MeasuredProcess("jobserver", server.Pid, includeChildren: false, dotNet: true));
            deployment.Measured.Add(new MeasuredProcess("postgresql", deployment._postgres.PostmasterPid, includeChildren: true, dotNet: false));
            await deployment.WaitReadyAsync(cancellationToken);
            return deployment;
        }
        catch (Exception ex)
        {
            throw await deployment.FailedToStartAsync(ex);
        }
    }

    /// <summary>
    /// A silo whose bots are exactly <paramref name="bots"/> (written into its settings file), shipped settings otherwise,
    /// with the job server embedded or, with <paramref name="standaloneServer"/>, as the standalone process on SQLite.
    /// With <paramref name="countRequests"/> the bots reach the job API through a <see cref="RequestCountingProxy"/>;
    /// the harness itself talks to the server directly. Waits for readiness only, not for the bots.
    /// </summary>
    public static async Task<Deployment> StartFleetAsync(
        ProductLayout product,
        BenchDirectory directory,
        string part,
        IReadOnlyList<ConfiguredBot> bots,
        bool standaloneServer,
        bool countRequests,
        IReadOnlyList<string> extraSiloArguments,
        IReadOnlyList<string> extraServerArguments,
        CancellationToken cancellationToken)
    {
        product.RequireBuilt(jobServer: standaloneServer);
        var deployment = new Deployment { ExpectedBots = 0 };
        try
        {
            var siloUrl = LoopbackUrl();
            var serverUrl = siloUrl;
            if (standaloneServer)
            {
                var serverFolder = directory.Folder(Path.Combine(part, "jobserver"));
                ProductLayout.CopySettings(product.JobServerDirectory, serverFolder);
                serverUrl = LoopbackUrl();
                deployment.StartJobServer(product, serverFolder, ["--urls", serverUrl.ToString(), .. extraServerArguments]);
            }

            if (countRequests)
            {
                deployment.Proxy = RequestCountingProxy.Start(serverUrl);
            }

            var siloFolder = directory.Folder(Path.Combine(part, "silo"));
            SiloSettings.WriteWithBots(product, siloFolder, bots);
            var silo = deployment.Start("silo", product.SiloExecutable, siloFolder,
            [
                .. deployment.SiloPorts(siloUrl),
                $"--BotFleet:Silo:EmbeddedJobServer={(standaloneServer ? "false" : "true")}",
                $"--BotFleet:Silo:JobServerUrl={deployment.Proxy?.Url ?? serverUrl}",
                .. extraSiloArguments,
            ]);
            if (!standaloneServer)
            {
                deployment.JobServerHost = silo;
                deployment.Api = new JobApiDriver(siloUrl);
            }

            deployment.Measured.Insert(0, new MeasuredProcess("silo", silo.Pid, includeChildren: false, dotNet: true));
            await deployment.WaitReadyAsync(cancellationToken);
            return deployment;
        }
        catch (Exception ex)
        {
            throw await deployment.FailedToStartAsync(ex);
        }
    }

    /// <summary>
    /// PostgreSQL, the standalone job server on it (restartable: <see cref="KillJobServerAsync"/>,
    /// <see cref="RestartJobServerAsync"/>) and a silo without an embedded server whose bots are exactly <paramref name="bots"/>.
    /// </summary>
    public static async Task<Deployment> StartPostgresFleetAsync(
        ProductLayout product,
        BenchDirectory directory,
        IReadOnlyList<ConfiguredBot> bots,
        IReadOnlyList<string> extraSiloArguments,
        IReadOnlyList<string> extraServerArguments,
        CancellationToken cancellationToken)
    {
        product.RequireBuilt(jobServer: true);
        var deployment = new Deployment { ExpectedBots = bots.Count };
        try
        {
            deployment._postgres = await PostgresCluster.StartAsync(directory.Folder("pg"), cancellationToken);
            var jobs = await deployment._postgres.CreateDatabaseAsync("botfleet_jobs", cancellationToken);
            var serverFolder = directory.Folder("jobserver");
            ProductLayout.CopySettings(product.JobServerDirectory, serverFolder);
            var serverUrl = LoopbackUrl();
            deployment.StartJobServer(product, serverFolder,
            [
                "--urls", serverUrl.ToString(),
                "--JobServer:Store=PostgreSql",
                $"--JobServer:PostgreSqlConnectionString={jobs}",
                .. extraServerArguments,
            ]);

            var siloFolder = directory.Folder("silo");
            SiloSettings.WriteWithBots(product, siloFolder, bots);
            var silo = deployment.Start("silo", product.SiloExecutable, siloFolder,
            [
                .. deployment.SiloPorts(LoopbackUrl()),
                "--BotFleet:Silo:EmbeddedJobServer=false",
                $"--BotFleet:Silo:JobServerUrl={serverUrl}",
                .. extraSiloArguments,
            ]);
            deployment.Measured.Insert(0, new MeasuredProcess("silo", silo.Pid, includeChildren: false, dotNet: true));
            deployment.Measured.Add(new MeasuredProcess("postgresql", deployment._postgres.PostmasterPid, includeChildren: true, dotNet: false));
            await deployment.WaitReadyAsync(cancellationToken);
            return deployment;
        }
        catch (Exception ex)
        {
            throw await deployment.FailedToStartAsync(ex);
        }
    }

    /// <summary>SIGKILLs the standalone job server (its measured entry goes with it).</summary>
    public async Task KillJobServerAsync()
    {
        var host = JobServerHost;
        _hosts.Remove(host);
        Measured.RemoveAll(p => p.Name == "jobserver");
        await host.DisposeAsync();
    }

    /// <summary>Starts the standalone job server again with the same folder, database and port; waits for /health/ready.</summary>
    public async Task RestartJobServerAsync(ProductLayout product, CancellationToken cancellationToken)
    {
        var (folder, arguments) = _jobServerStart ?? throw new InvalidOperationException("No standalone job server was started.");
        StartJobServer(product, folder, arguments);
        var clock = Stopwatch.StartNew();
        while (!await Api.IsReadyAsync(cancellationToken))
        {
            ThrowIfAnyExited();
            if (clock.Elapsed > StartTimeout)
            {
                throw new BenchException($"The restarted job server was not ready within {StartTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    public void ThrowIfAnyExited()
    {
        foreach (var host in _hosts)
        {
            if (host.HasExited)
            {
                throw new BenchException($"{host.Name} exited (code {host.ExitCode}). Last output:{Environment.NewLine}{host.Tail()}");
            }
        }
    }

    /// <summary>429 answers the job server logged (it logs each at Information; 0 when its log level hides them).</summary>
    public long CountRateLimited() => JobServerHost.CountOutputLines(RateLimitLogText);

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>Stops what was started and names where its output is, so a failed start is not a bare message.</summary>
    private async Task<Exception> FailedToStartAsync(Exception exception)
    {
        var hints = LogHints;
        await DisposeAsync();
        return exception is OperationCanceledException
            ? exception
            : new BenchException($"Starting the product failed: {exception.Message}{Environment.NewLine}{hints}", exception);
    }

    /// <summary>Waits for /health/ready and for the fleet's bots to be registered.</summary>
    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var ready = false;
        while (true)
        {
            ThrowIfAnyExited();
            if (clock.Elapsed > StartTimeout)
            {
                throw new BenchException($"The product was not ready within {StartTimeout.TotalSeconds:0} s (job server {(ready ? "ready, bots not registered" : "not ready")}).");
            }

            ready = ready || await Api.IsReadyAsync(cancellationToken);
            if (ready && (await Api.GetStatsAsync(cancellationToken)).Bots?.Registered >= ExpectedBots)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private void StartJobServer(ProductLayout product, string folder, string[] arguments)
    {
        _jobServerStart = (folder, arguments);
        _jobServerStarts++;
        var host = Start(_jobServerStarts == 1 ? "jobserver" : $"jobserver-{_jobServerStarts}", product.JobServerExecutable, folder, arguments);
        JobServerHost = host;
        Api ??= new JobApiDriver(new Uri(arguments[1]));
        Measured.Add(new MeasuredProcess("jobserver", host.Pid, includeChildren: false, dotNet: true));
    }

    private ProcessHost Start(string name, string executable, string folder, IEnumerable<string> arguments)
    {
        // The settings the harness wrote are in the process's own folder; the hosts read theirs beside the executable
        // unless a content root is named.
        var host = ProcessHost.Start(name, executable, folder, ["--contentRoot", folder, .. arguments]);
        _hosts.Add(host);
        return host;
    }

    private static Uri LoopbackUrl() => new($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}");

    private string[] SiloPorts(Uri url)
    {
        GatewayPort = FreePort.Next();
        return
        [
            "--urls", url.ToString(),
            $"--BotFleet:Silo:SiloPort={FreePort.Next()}",
            $"--BotFleet:Silo:GatewayPort={GatewayPort}",
        ];
    }
}
