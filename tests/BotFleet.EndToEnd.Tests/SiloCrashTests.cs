using System.Text.Json;
using BotFleet.Client;
using BotFleet.Client.Hosting;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Wire;
using Microsoft.Data.Sqlite;

namespace BotFleet.EndToEnd.Tests;

/// <summary>The embedded default as a user runs it: the real silo process, killed with SIGKILL and started again.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class SiloCrashTests
{
    [Fact]
    public async Task KilledSilo_StartedAgain_KeepsTheBotsOutboxAndReminderAndDeliversEveryReport()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var jobsDb = temp.File("jobs.db");
        var orleansDb = temp.File("orleans.db");
        var serverPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        string[] arguments =
        [
            "--urls", $"http://127.0.0.1:{FreePort.Next()}",
            $"--BotFleet:Silo:SqlitePath={orleansDb}",
            "--BotFleet:Silo:EmbeddedJobServer=false",
            $"--BotFleet:Silo:JobServerUrl=http://127.0.0.1:{serverPort}",
            $"--BotFleet:Silo:SiloPort={FreePort.Next()}",
            $"--BotFleet:Silo:GatewayPort={gatewayPort}",
            "--BotFleet:Silo:Dashboard=false",
            "--BotFleet:Silo:JobApiTimeout=00:00:02",
            "--BotFleet:Bots:crash-bot:Operations:0=sleep",
            "--BotFleet:Bots:crash-bot:MaxConcurrency=10",
            "--BotFleet:Scheduler:TickInterval=00:00:00.100",
            "--BotFleet:Scheduler:MaxIdleInterval=00:00:00.500",
            "--BotFleet:Scheduler:MaxFailureBackoff=00:00:01",
            "--Logging:LogLevel:Default=Warning",
        ];

        var server = await LoopbackJobServer.StartAsync(jobsDb, serverPort);
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 10).Select(_ => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 1_500 })))], ct);
        var first = SiloProcess.Start(temp.Path, arguments);
        string oldInstance;
        try
        {
            await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Leased == 10, "10 jobs leased by the bot", TimeSpan.FromSeconds(60));

            // The server goes away while the jobs run: their reports can only go to the outbox.
            await server.DisposeAsync();
            await using var connection = await FleetConnection.ConnectAsync(new BotFleetClientOptions { GatewayPort = gatewayPort }, ct);
            var kept = await Eventually.ValueAsync(
                () => connection.Client.GetBotStatusAsync("crash-bot", ct), s => s.OutboxSize == 10 && s.InFlight == 0, "10 reports in the outbox", TimeSpan.FromSeconds(60));
            oldInstance = kept.InstanceId!;
            await first.KillAsync();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"silo output:\n{first.Output}", ex);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.Equal(1L, CountKeepAliveReminders(orleansDb));

        await using var restartedServer = await LoopbackJobServer.StartAsync(jobsDb, serverPort);
        await using var second = SiloProcess.Start(temp.Path, arguments);
        var stats = await Eventually.ValueAsync(
            () => restartedServer.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 10, $"10 jobs completed after the restart", TimeSpan.FromSeconds(90));

        Assert.Equal(new JobStatusCounts(0, 0, 10, 0), stats.Jobs);
        foreach (var id in ids)
        {
            var job = await restartedServer.Producer.GetJobAsync(id, ct);
            Assert.NotNull(job);
            var attempt = Assert.Single(job.Attempts);
            Assert.Equal((oldInstance, "completed"), (attempt.InstanceId, attempt.Outcome));
            Assert.Equal("""{"slept_ms":1500}""", job.Result!.Value.GetRawText());
        }

        Assert.False(second.HasExited, second.Output);
    }

    private static long CountKeepAliveReminders(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansReminder WHERE ReminderName = 'keep-alive' AND GrainId LIKE '%crash-bot%'";
        return (long)command.ExecuteScalar()!;
    }
}
