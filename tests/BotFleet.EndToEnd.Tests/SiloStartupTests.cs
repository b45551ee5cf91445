using BotFleet.EndToEnd.Tests.Infrastructure;

namespace BotFleet.EndToEnd.Tests;

/// <summary>A bot's settings that cannot be read stop the real silo process at start-up, naming the key.</summary>
public sealed class SiloStartupTests
{
    [Theory]
    [InlineData("MaxConcurrency", "abc", "Failed to convert configuration value 'abc' at 'BotFleet:Bots:arithmetic-1:MaxConcurrency' to type 'System.Int32'.")]
    [InlineData("MaxConcurency", "8", "BotFleet:Bots:arithmetic-1:MaxConcurency is not a bot setting (a bot has Operations, MaxConcurrency, ClaimBatchSize).")]
    [InlineData("ClaimBatchSize", "0", "BotFleet:Bots:arithmetic-1:ClaimBatchSize: must be between 1 and 100, got 0")]
    public async Task BadValueInABotsSettings_StopsTheSiloNamingTheKey(string key, string value, string expected)
    {
        using var temp = new TempDirectory();
        await using var silo = SiloProcess.Start(temp.Path,
        [
            "--urls", $"http://127.0.0.1:{FreePort.Next()}",
            $"--BotFleet:Silo:SqlitePath={temp.File("orleans.db")}",
            $"--JobServer:DatabasePath={temp.File("jobs.db")}",
            $"--BotFleet:Silo:SiloPort={FreePort.Next()}",
            $"--BotFleet:Silo:GatewayPort={FreePort.Next()}",
            "--BotFleet:Bots:arithmetic-1:Operations:0=sum",
            $"--BotFleet:Bots:arithmetic-1:{key}={value}",
            "--BotFleet:Bots:arithmetic-2:Operations:0=sum",
        ]);

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode is not null and not 0, $"the silo should have refused to start (exit code {exitCode?.ToString() ?? "none: still running"})\n{silo.Output}");
        Assert.Contains(expected, silo.Output, StringComparison.Ordinal);
        Assert.Contains(key, silo.Output, StringComparison.Ordinal);
    }
}
