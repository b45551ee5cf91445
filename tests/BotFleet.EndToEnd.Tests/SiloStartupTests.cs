using BotFleet.EndToEnd.Tests.Infrastructure;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// Settings that cannot be read or break a rule stop the real silo process at start-up, naming the key: one message on
/// stderr and exit code 78 (EX_CONFIG), no stack trace.
/// </summary>
public sealed class SiloStartupTests
{
    [Theory]
    [InlineData("BotFleet:Scheduler:OutboxHighWaterMark=0", "BotFleet:Scheduler:OutboxHighWaterMark must be between 1 and 100000.")]
    [InlineData("BotFleet:Scheduler:TickInterval=abc", "Failed to convert configuration value 'abc' at 'BotFleet:Scheduler:TickInterval' to type 'System.TimeSpan'.")]
    [InlineData("BotFleet:Scheduler:TickIntervall=00:00:01", "'TickIntervall'")]
    [InlineData("BotFleet:Silo:Dashbord=false", "'Dashbord'")]
    [InlineData("BotFleet:Silo:JobApiTimeout=00:00:00", "BotFleet:Silo:JobApiTimeout must be between")]
    [InlineData("BotFleet:JobApi:AttemptTimeout=00:00:00", "AttemptTimeout")]
    [InlineData("BotFleet:Fleet:ResumeAttempts=0", "BotFleet:Fleet:ResumeAttempts must be between 1 and 100.")]
    [InlineData("BotFleet:Membership:ProbeTimout=00:00:01", "'ProbeTimout'")]
    [InlineData("BotFleet:GrainDirectory:CacheSise=1000", "'CacheSise'")]
    [InlineData("BotFleet:Silo:Storage=Nope", "Failed to convert configuration value 'Nope' at 'BotFleet:Silo:Storage' to type 'BotFleet.Silo.Hosting.SiloStorage'. Valid values: Sqlite, PostgreSql.")]
    public async Task BadSetting_StopsTheSiloNamingIt(string setting, string expected)
    {
        using var temp = new TempDirectory();
        await using var silo = StartSilo(temp, [$"--{setting}"]);

        await AssertRefusedAsync(silo, expected);
    }

    [Fact]
    public async Task GatewayPortInUse_StopsTheSiloNamingThePortAndItsKey()
    {
        using var temp = new TempDirectory();
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            await using var silo = StartSilo(temp, [$"--BotFleet:Silo:GatewayPort={port}"]);

            await AssertRefusedAsync(silo, $"BotFleet:Silo:GatewayPort {port} is already in use on 127.0.0.1");
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task HttpAddressInUse_StopsTheSiloNamingTheAddress()
    {
        using var temp = new TempDirectory();
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            await using var silo = StartSilo(temp, ["--urls", $"http://127.0.0.1:{port}"]);

            await AssertRefusedAsync(silo, $"http://127.0.0.1:{port}");
            Assert.Contains("choose another address with --urls", silo.Output, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
        }
    }

    private static async Task AssertRefusedAsync(AppProcess silo, string expected)
    {
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == BotFleet.JobServer.StartupFailure.ConfigurationExitCode, $"the silo should have refused to start with 78 (exit code {exitCode?.ToString() ?? "none: still running"})\n{silo.Output}");
        Assert.Contains("BotFleet cannot start: ", silo.Output, StringComparison.Ordinal);
        Assert.Contains(expected, silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", silo.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxConcurrency", "abc", "Failed to convert configuration value 'abc' at 'BotFleet:Bots:arithmetic-1:MaxConcurrency' to type 'System.Int32'.")]
    [InlineData("MaxConcurency", "8", "BotFleet:Bots:arithmetic-1:MaxConcurency is not a bot setting (a bot has Operations, MaxConcurrency, ClaimBatchSize).")]
    [InlineData("ClaimBatchSize", "0", "BotFleet:Bots:arithmetic-1:ClaimBatchSize: must be between 1 and 100, got 0")]
    public async Task BadValueInABotsSettings_StopsTheSiloNamingTheKey(string key, string value, string expected)
    {
        using var temp = new TempDirectory();
        await using var silo = StartSilo(temp,
        [
            "--BotFleet:Bots:arithmetic-1:Operations:0=sum",
            $"--BotFleet:Bots:arithmetic-1:{key}={value}",
            "--BotFleet:Bots:arithmetic-2:Operations:0=sum",
        ]);

        await AssertRefusedAsync(silo, expected);
        Assert.Contains(key, silo.Output, StringComparison.Ordinal);
    }

    private static AppProcess StartSilo(TempDirectory temp, IEnumerable<string> settings) => AppProcess.StartSilo(temp.Path,
    [
        "--urls", $"http://127.0.0.1:{FreePort.Next()}",
        $"--BotFleet:Silo:SqlitePath={temp.File("orleans.db")}",
        $"--JobServer:DatabasePath={temp.File("jobs.db")}",
        $"--BotFleet:Silo:SiloPort={FreePort.Next()}",
        $"--BotFleet:Silo:GatewayPort={FreePort.Next()}",
        .. settings,
    ]);
}
