using BotFleet.Testing;

namespace BotFleet.Client.Tests.Process;

/// <summary>
/// One real silo with its embedded job server on free loopback ports, an API key set (JobServer:ApiKey), and two bots:
/// calc-1 (sum) and echo-1 (echo). Started once for the process tests.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string ApiKey = "process-test-key";

    private readonly TempDirectory _temp = new("botfleet-cli-tests-");
    private AppProcess? _silo;

    public int GatewayPort { get; } = FreePort.Next();

    public Uri Server { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    public string SiloOutput => _silo?.Output ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        _silo = AppProcess.StartSilo(
            _temp.Path,
            [
                "--urls", Server.ToString().TrimEnd('/'),
                $"--BotFleet:Silo:SqlitePath={_temp.File("orleans.db")}",
                $"--JobServer:DatabasePath={_temp.File("jobs.db")}",
                $"--JobServer:ApiKey={ApiKey}",
                "--BotFleet:Silo:EmbeddedJobServer=true",
                $"--BotFleet:Silo:JobServerUrl={Server.ToString().TrimEnd('/')}",
                $"--BotFleet:Silo:SiloPort={FreePort.Next()}",
                $"--BotFleet:Silo:GatewayPort={GatewayPort}",
                "--BotFleet:Silo:Dashboard=false",
                "--BotFleet:Bots:calc-1:Operations:0=sum",
                "--BotFleet:Bots:calc-1:MaxConcurrency=20",
                "--BotFleet:Bots:echo-1:Operations:0=echo",
                "--BotFleet:Scheduler:TickInterval=00:00:00.100",
                "--BotFleet:Scheduler:MaxIdleInterval=00:00:00.500",
                "--Logging:LogLevel:Default=Warning",
            ]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await _silo.WaitUntilReadyAsync(Server, http, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    /// <summary>Runs botfleet against this silo with the right API key in BOTFLEET_API_KEY.</summary>
    public Task<CliResult> RunAsync(params string[] args) =>
        CliProcess.RunAsync(
            new Dictionary<string, string?> { ["BOTFLEET_API_KEY"] = ApiKey },
            TestContext.Current.CancellationToken,
            [.. args, "--server", Server.ToString(), "--gateway-port", GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _temp.Dispose();
    }
}
