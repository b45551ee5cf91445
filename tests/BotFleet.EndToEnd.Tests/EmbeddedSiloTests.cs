using System.Net.Http.Json;
using System.Text.Json;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;

namespace BotFleet.EndToEnd.Tests;

/// <summary>The main job as a user runs it: one silo process with the embedded job server, on SQLite.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class EmbeddedSiloTests
{
    [Fact]
    public async Task EmbeddedDefault_WithAnEnrollmentKey_ItsBotsRegisterAndCompleteSubmittedJobs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fleet = await EmbeddedSilo.StartAsync(
        [
            "--JobServer:EnrollmentKey=fleet-secret",
            "--BotFleet:Bots:math:Operations:0=sum",
            "--BotFleet:Bots:math:Operations:1=divide",
            "--BotFleet:Scheduler:TickInterval=00:00:00.100",
            "--BotFleet:Scheduler:MaxIdleInterval=00:00:00.500",
        ]);
        var (producer, silo, http) = (fleet.Producer, fleet.Silo, fleet.Http);

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
}
