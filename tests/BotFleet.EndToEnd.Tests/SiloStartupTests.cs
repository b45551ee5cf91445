using BotFleet.EndToEnd.Tests.Infrastructure;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// Settings that cannot be read or break a rule stop the real silo process at start-up, naming the key: one message on
/// stderr naming the key as written, the value and the valid ones, exit code 1, no stack trace.
/// </summary>
public sealed class SiloStartupTests
{
    [Theory]
    [InlineData("BotFleet:Scheduler:OutboxHighWaterMark=0", "BotFleet:Scheduler:OutboxHighWaterMark must be between 1 and 100000, got '0'.")]
    [InlineData("BotFleet:Scheduler:TickInterval=abc", "BotFleet:Scheduler:TickInterval must be a duration (hh:mm:ss[.fff], e.g. 00:00:30) between 00:00:00.010 and 00:01:00, got 'abc'.")]
    [InlineData("BotFleet:Scheduler:TickIntervall=00:00:01", "BotFleet:Scheduler:TickIntervall is not a setting; BotFleet:Scheduler takes ")]
    [InlineData("BotFleet:Silo:Dashbord=false", "BotFleet:Silo:Dashbord is not a setting; BotFleet:Silo takes Storage, SqlitePath, PostgreSqlConnectionString, SiloPort, GatewayPort, AdvertisedAddress, EmbeddedJobServer, JobServerUrl, EnrollmentKey, JobApiTimeout, Dashboard, DashboardUpdateInterval, StartConfiguredBots.")]
    [InlineData("BotFleet:Silo:JobApiTimeout=00:00:00", "BotFleet:Silo:JobApiTimeout must be between 00:00:00.100 and 00:05:00, got '00:00:00'.")]
    [InlineData("BotFleet:JobApi:AttemptTimeout=00:00:00", "BotFleet:JobApi:AttemptTimeout must be between 00:00:00.100 and 00:05:00, got '00:00:00'.")]
    [InlineData("BotFleet:Fleet:ResumeAttempts=0", "BotFleet:Fleet:ResumeAttempts must be between 1 and 100, got '0'.")]
    [InlineData("BotFleet:Membership:ProbeTimout=00:00:01", "BotFleet:Membership:ProbeTimout is not a setting; BotFleet:Membership takes ")]
    [InlineData("BotFleet:GrainDirectory:CacheSise=1000", "BotFleet:GrainDirectory:CacheSise is not a setting; BotFleet:GrainDirectory takes ")]
    [InlineData("BotFleet:Silo:Storage=Nope", "BotFleet:Silo:Storage must be one of Sqlite, PostgreSql, got 'Nope'.")]
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

            await AssertRefusedAsync(silo, $"BotFleet:Silo:GatewayPort {port} is already in use on 127.0.0.1 (another silo on this machine?); choose a free port with --BotFleet:Silo:GatewayPort=<port>.");
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

            await AssertRefusedAsync(silo, $"urls: port {port} (http://127.0.0.1:{port}) is already in use by another process; choose another address with --urls (or ASPNETCORE_URLS).");
        }
        finally
        {
            taken.Stop();
        }
    }

    // Exactly one line on stderr: the prefix and the expected message (or, for a message ending in a list, its beginning).
    private static async Task AssertRefusedAsync(AppProcess silo, string expected)
    {
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == BotFleet.JobServer.StartupFailure.ConfigurationExitCode, $"the silo should have refused to start with 1 (exit code {exitCode?.ToString() ?? "none: still running"})\n{silo.Output}");
        var line = Assert.Single(silo.ErrorLines);
        if (expected.EndsWith(" takes ", StringComparison.Ordinal))
        {
            Assert.StartsWith(BotFleet.JobServer.StartupFailure.Prefix + expected, line, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(BotFleet.JobServer.StartupFailure.Prefix + expected, line);
        }

        Assert.DoesNotContain("   at ", silo.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxConcurrency", "abc", "BotFleet:Bots:arithmetic-1:MaxConcurrency must be a whole number, got 'abc'.")]
    [InlineData("MaxConcurency", "8", "BotFleet:Bots:arithmetic-1:MaxConcurency is not a bot setting (a bot has Operations, MaxConcurrency, ClaimBatchSize), got '8'.")]
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
    }

    // As an operator runs it: the shipped appsettings.json beside the executable, from another working directory.
    private static AppProcess StartSilo(TempDirectory temp, IEnumerable<string> settings) => AppProcess.StartSilo(
        temp.Path,
        SiloCommandLine.OnLoopback().StateInSqlite(temp.File("orleans.db")).With($"--JobServer:DatabasePath={temp.File("jobs.db")}").With([.. settings]).ToArray(),
        shippedSettings: true);
}
