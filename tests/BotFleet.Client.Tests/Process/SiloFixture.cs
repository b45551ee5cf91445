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

    private readonly SiloCommandLine _commandLine = SiloCommandLine.OnLoopback();

    public int GatewayPort => _commandLine.GatewayPort;

    public Uri Server => _commandLine.HttpAddress;

    public string SiloOutput => _silo?.Output ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        _silo = AppProcess.StartSilo(
            _temp.Path,
            _commandLine
                .StateInSqlite(_temp.File("orleans.db"))
                .WithEmbeddedJobServer(_temp.File("jobs.db"))
                .Quiet()
                .FastScheduling()
                .With(
                    $"--JobServer:ApiKey={ApiKey}",
                    "--BotFleet:Bots:calc-1:Operations:0=sum",
                    "--BotFleet:Bots:calc-1:MaxConcurrency=20",
                    "--BotFleet:Bots:echo-1:Operations:0=echo")
                .ToArray());
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
