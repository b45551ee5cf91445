using BotFleet.Testing;

namespace BotFleet.JobServer.Tests.Hosting;

/// <summary>The standalone job server process refuses bad settings with one message naming the key and exit code 78.</summary>
public sealed class JobServerStartupTests
{
    [Theory]
    [InlineData("JobServer:Store=Nope", "Failed to convert configuration value 'Nope' at 'JobServer:Store' to type 'BotFleet.JobServer.Storage.JobStoreKind'. Valid values: Sqlite, PostgreSql.")]
    [InlineData("JobServer:JobLeaseTtlSeconds=0", "JobServer:JobLeaseTtlSeconds must be between 5 and 86400 seconds.")]
    public async Task BadSetting_StopsTheServerNamingIt(string setting, string expected)
    {
        using var temp = new TempDirectory();
        await using var server = AppProcess.StartJobServer(temp.Path,
        [
            "--urls", $"http://127.0.0.1:{FreePort.Next()}",
            $"--JobServer:DatabasePath={temp.File("jobs.db")}",
            $"--{setting}",
        ]);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == StartupFailure.ConfigurationExitCode, $"the server should have refused to start with 78 (exit code {exitCode?.ToString() ?? "none: still running"})\n{server.Output}");
        Assert.Contains("BotFleet cannot start: ", server.Output, StringComparison.Ordinal);
        Assert.Contains(expected, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }
}
