using BotFleet.Testing;

namespace BotFleet.JobServer.Tests.Hosting;

/// <summary>
/// The standalone job server reads the appsettings.json beside its executable whatever the working directory, so its
/// default logs carry no per-request lines (ASP.NET Core's hosting and routing Information).
/// </summary>
public sealed class JobServerLoggingTests
{
    [Fact]
    public async Task StartedFromAnotherDirectory_LogsNoPerRequestLines()
    {
        using var temp = new TempDirectory();
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await using var server = AppProcess.StartJobServer(temp.Path, ["--urls", address.ToString(), $"--JobServer:DatabasePath={temp.File("jobs.db")}"]);
        await server.WaitUntilReadyAsync(address, http, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        for (var i = 0; i < 3; i++)
        {
            using var stats = await http.GetAsync(new Uri(address, "/v1/stats"), TestContext.Current.CancellationToken);
            Assert.True(stats.IsSuccessStatusCode, $"GET /v1/stats answered {stats.StatusCode}");
        }

        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("Application started", server.Output, StringComparison.Ordinal);
        var jobServerBin = $"{Path.DirectorySeparatorChar}{Path.Combine("src", "BotFleet.JobServer.Host", "bin")}{Path.DirectorySeparatorChar}";
        Assert.Contains($"Content root path: ", server.Output, StringComparison.Ordinal);
        Assert.Contains(jobServerBin, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.Routing", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", server.Output, StringComparison.Ordinal);
        Assert.Empty(server.ErrorLines);
    }
}
