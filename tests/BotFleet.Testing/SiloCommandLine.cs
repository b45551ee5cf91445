using System.Globalization;

namespace BotFleet.Testing;

/// <summary>
/// The command line of a silo process a test starts, in the keys an operator uses: loopback ports of its own, then the
/// storage, job server and settings the test is about. Arguments given later win, so a test can override any.
/// </summary>
public sealed class SiloCommandLine
{
    private readonly List<string> _arguments;

    private SiloCommandLine(Uri httpAddress, int siloPort, int gatewayPort)
    {
        HttpAddress = httpAddress;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        _arguments =
        [
            "--urls", Address(httpAddress),
            $"--BotFleet:Silo:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
            $"--BotFleet:Silo:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
        ];
    }

    /// <summary>Where the silo's HTTP endpoints (health, the embedded job server) listen.</summary>
    public Uri HttpAddress { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>Free loopback ports, or the ones given (a silo restarted on its own ports).</summary>
    public static SiloCommandLine OnLoopback(Uri? httpAddress = null, int? siloPort = null, int? gatewayPort = null) =>
        new(httpAddress ?? new Uri($"http://127.0.0.1:{FreePort.Next()}"), siloPort ?? FreePort.Next(), gatewayPort ?? FreePort.Next());

    /// <summary>Grain state and reminders in a SQLite file, as the embedded default keeps them.</summary>
    public SiloCommandLine StateInSqlite(string path) => With($"--BotFleet:Silo:SqlitePath={path}");

    /// <summary>Membership, grain state and reminders in PostgreSQL, as a cluster keeps them.</summary>
    public SiloCommandLine StateInPostgreSql(string connectionString) =>
        With("--BotFleet:Silo:Storage=PostgreSql", $"--BotFleet:Silo:PostgreSqlConnectionString={connectionString}");

    /// <summary>The job server inside the silo, on the silo's HTTP address, its jobs in a SQLite file.</summary>
    public SiloCommandLine WithEmbeddedJobServer(string jobsDatabase) =>
        With($"--JobServer:DatabasePath={jobsDatabase}", $"--BotFleet:Silo:JobServerUrl={Address(HttpAddress)}");

    /// <summary>The bots' job server is another process.</summary>
    public SiloCommandLine WithJobServer(Uri address) =>
        With("--BotFleet:Silo:EmbeddedJobServer=false", $"--BotFleet:Silo:JobServerUrl={Address(address)}");

    /// <summary>No dashboard, logs from Warning up: the quiet silo most tests want.</summary>
    public SiloCommandLine Quiet() => With("--BotFleet:Silo:Dashboard=false", "--Logging:LogLevel:Default=Warning");

    /// <summary>Bots that look for work every 100 ms, wait at most 500 ms when idle and 1 s after a failure, so tests end quickly.</summary>
    public SiloCommandLine FastScheduling() =>
        With(
            "--BotFleet:Scheduler:TickInterval=00:00:00.100",
            "--BotFleet:Scheduler:MaxIdleInterval=00:00:00.500",
            "--BotFleet:Scheduler:MaxFailureBackoff=00:00:01");

    /// <summary>Settings written "Key=Value", as configuration keys (the leading "--" is added).</summary>
    public SiloCommandLine WithSettings(IEnumerable<string> settings) => With([.. settings.Select(s => "--" + s)]);

    /// <summary>Arguments as they are.</summary>
    public SiloCommandLine With(params string[] arguments)
    {
        _arguments.AddRange(arguments);
        return this;
    }

    public string[] ToArray() => [.. _arguments];

    private static string Address(Uri address) => address.ToString().TrimEnd('/');
}
