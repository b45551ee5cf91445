using System.Net.Http.Json;
using System.Text.Json;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace BotFleet.EndToEnd.Tests;

/// <summary>The main job as a user runs it: one silo process with the embedded job server, on SQLite.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class EmbeddedSiloTests
{
    [Fact]
    public async Task EmbeddedDefault_WithAnEnrollmentKey_ItsBotsRegisterAndCompleteSubmittedJobs()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}");
        await using var silo = AppProcess.StartSilo(temp.Path,
        [
            "--urls", address.ToString(),
            $"--BotFleet:Silo:SqlitePath={temp.File("orleans.db")}",
            $"--JobServer:DatabasePath={temp.File("jobs.db")}",
            "--JobServer:EnrollmentKey=fleet-secret",
            $"--BotFleet:Silo:JobServerUrl={address}",
            $"--BotFleet:Silo:SiloPort={FreePort.Next()}",
            $"--BotFleet:Silo:GatewayPort={FreePort.Next()}",
            "--BotFleet:Bots:math:Operations:0=sum",
            "--BotFleet:Bots:math:Operations:1=divide",
            "--BotFleet:Scheduler:TickInterval=00:00:00.100",
            "--BotFleet:Scheduler:MaxIdleInterval=00:00:00.500",
            "--Logging:LogLevel:Default=Warning",
        ]);
        var services = new ServiceCollection();
        services.AddJobApiClient(address, TimeSpan.FromSeconds(10));
        await using var provider = services.BuildServiceProvider();
        var producer = provider.GetRequiredService<IJobProducerClient>();
        using var http = new HttpClient { BaseAddress = address };

        await Eventually.ValueAsync(() => ReadyAsync(http, ct), ready => ready, $"the silo's job server ready\n{silo.Output}", TimeSpan.FromSeconds(60));
        var ids = await producer.SubmitBatchAsync(
        [
            new SubmitJobRequest("sum", JsonSerializer.SerializeToElement(new { a = 42, b = 58 })),
            new SubmitJobRequest("divide", JsonSerializer.SerializeToElement(new { a = 1, b = 0 }), MaxAttempts: 1),
        ], ct);
        var stats = await Eventually.ValueAsync(() => producer.GetStatsAsync(ct), s => s.Jobs.Completed == 1 && s.Jobs.Dead == 1, $"both jobs finished\n{silo.Output}", TimeSpan.FromSeconds(60));
        var sum = await producer.GetJobAsync(ids[0], ct);
        var divide = await producer.GetJobAsync(ids[1], ct);

        // A bot without the key cannot join.
        using var stranger = await http.PostAsJsonAsync(
            "v1/bots/register",
            new { bot_key = "stranger", instance_id = Guid.NewGuid(), version = "1.0.0", capabilities = new[] { "sum" }, resources = new { cpu_cores = 1, mem_mb = 512 } },
            ct);

        Assert.Equal(new BotCounts(1, 1), stats.Bots);
        Assert.Equal("""{"value":100}""", sum!.Result!.Value.GetRawText());
        Assert.Equal(("dead", "division by zero: field 'b' must not be 0"), (divide!.Status, divide.Error));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stranger.StatusCode);
    }

    private static async Task<bool> ReadyAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("health/ready", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
