using System.Net;
using System.Net.Sockets;
using BotFleet.Testing;

namespace BotFleet.JobServer.Tests.Hosting;

/// <summary>
/// The standalone job server process refuses bad settings with exactly one line on stderr naming the key as it is
/// written, the value and the valid ones, exit code 1 and no stack trace (the exception only at Debug).
/// </summary>
public sealed class JobServerStartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("JobServer:Store=Nope", "JobServer:Store must be one of Sqlite, PostgreSql, got 'Nope'.")]
    [InlineData("JobServer:DefaultMaxAttempts=0", "JobServer:DefaultMaxAttempts must be between 1 and 100, got '0'.")]
    [InlineData("JobServer:JobLeaseTtlSeconds=0", "JobServer:JobLeaseTtlSeconds must be between 5 and 86400 seconds, got '0'.")]
    [InlineData("JobServer:JobLeaseTtl=00:00:01", "JobServer:JobLeaseTtl must be between 00:00:05 and 1.00:00:00, got '00:00:01'.; JobServer:HeartbeatInterval (00:00:30) must be less than JobServer:JobLeaseTtl (00:00:01), or leases expire between heartbeats.")]
    [InlineData("JobServer:HeartbeatInterval=00:10:00", "JobServer:HeartbeatInterval (00:10:00) must be less than JobServer:JobLeaseTtl (00:05:00), or leases expire between heartbeats.")]
    [InlineData("JobServer:JobLeaseTtlSeconds=abc", "JobServer:JobLeaseTtlSeconds must be a whole number between 5 and 86400, got 'abc'.")]
    [InlineData("JobServer:RateLimits:PerBotPerSecond=0", "JobServer:RateLimits:PerBotPerSecond must be between 1 and 100000, got '0'.")]
    [InlineData("JobServer:Store=PostgreSql", "JobServer:PostgreSqlConnectionString must be set when JobServer:Store is PostgreSql.")]
    [InlineData("JobServer:Retention:Interval=00:00:00", "JobServer:Retention:Interval must be between 00:00:01 and 1.00:00:00, got '00:00:00'.")]
    [InlineData("JobServer:Retention:Dead=abc", "JobServer:Retention:Dead must be a duration (hh:mm:ss[.fff], e.g. 00:00:30) between 00:00:00 and 3650.00:00:00, got 'abc'.")]
    public async Task BadSetting_ExitsWithOneLineNamingTheKeyTheValueAndTheValidOnes(string setting, string expected)
    {
        using var temp = new TempDirectory();
        await using var server = StartServer(temp, $"--{setting}");

        await AssertRefusedAsync(server, expected);
    }

    [Fact]
    public async Task UnknownKey_ExitsNamingTheKeyAndTheKeysTheSectionTakes()
    {
        using var temp = new TempDirectory();
        await using var server = StartServer(temp, "--JobServer:DefaultMaxAttempt=3");

        var line = await AssertRefusedAsync(server);
        Assert.StartsWith("BotFleet cannot start: JobServer:DefaultMaxAttempt is not a setting; JobServer takes Store, PostgreSqlConnectionString, DatabasePath, ", line, StringComparison.Ordinal);
        Assert.Contains(", DefaultMaxAttempts, ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortInUse_ExitsNamingThePortAndTheSetting()
    {
        using var temp = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = AppProcess.StartJobServer(temp.Path, ["--urls", $"http://127.0.0.1:{port}", $"--JobServer:DatabasePath={temp.File("jobs.db")}"]);

        await AssertRefusedAsync(server, $"urls: port {port} (http://127.0.0.1:{port}) is already in use by another process; choose another address with --urls (or ASPNETCORE_URLS).");
    }

    [Fact]
    public async Task PostgreSqlUnreachable_ExitsNamingTheConnectionStringKeyWithoutItsSecret()
    {
        using var temp = new TempDirectory();
        var port = FreePort.Next();
        await using var server = StartServer(temp, "--JobServer:Store=PostgreSql",
            $"--JobServer:PostgreSqlConnectionString=Host=127.0.0.1;Port={port};Username=botfleet;Password=s3cret;Database=botfleet;Timeout=5");

        await AssertRefusedAsync(server,
            $"JobServer:PostgreSqlConnectionString: cannot connect to PostgreSQL (Failed to connect to 127.0.0.1:{port}); check the host, port, user, password and database it names.");
        Assert.DoesNotContain("s3cret", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSetting_AtDebug_AlsoLogsTheFullExceptionOnStdout()
    {
        using var temp = new TempDirectory();
        await using var server = StartServer(temp, "--JobServer:Store=Nope", $"--Logging:LogLevel:{StartupFailure.LogCategory}=Debug");

        var exitCode = await server.WaitForExitAsync(ExitTimeout);

        Assert.Equal(StartupFailure.ConfigurationExitCode, exitCode);
        Assert.Equal(["BotFleet cannot start: JobServer:Store must be one of Sqlite, PostgreSql, got 'Nope'."], server.ErrorLines);
        Assert.Contains("dbug: BotFleet.Startup[1900]", server.Output, StringComparison.Ordinal);
        Assert.Contains("   at ", server.Output, StringComparison.Ordinal);
    }

    private static AppProcess StartServer(TempDirectory temp, params string[] settings) => AppProcess.StartJobServer(temp.Path,
    [
        "--urls", $"http://127.0.0.1:{FreePort.Next()}",
        $"--JobServer:DatabasePath={temp.File("jobs.db")}",
        .. settings,
    ]);

    private static async Task<string> AssertRefusedAsync(AppProcess server, string? expected = null)
    {
        var exitCode = await server.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == StartupFailure.ConfigurationExitCode, $"the server should have refused to start with 1 (exit code {exitCode?.ToString() ?? "none: still running"})\n{server.Output}");
        var line = Assert.Single(server.ErrorLines);
        if (expected is not null)
        {
            Assert.Equal(StartupFailure.Prefix + expected, line);
        }

        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
        return line;
    }
}
