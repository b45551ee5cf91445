using System.Text.Json;
using BotFleet.Client;
using BotFleet.Client.Hosting;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;
using Microsoft.Data.Sqlite;

namespace BotFleet.EndToEnd.Tests;

/// <summary>The embedded default as a user runs it: the real silo process, killed with SIGKILL and started again.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class SiloCrashTests
{
    [Fact]
    public async Task KilledSilo_StartedAgainWithoutStartingItsBots_TheRosterBringsTheBotBackAtStartUpAndDeliversEveryReport()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var jobsDb = temp.File("jobs.db");
        var orleansDb = temp.File("orleans.db");
        var serverPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var arguments = SiloArguments(orleansDb, serverPort, gatewayPort, "sleep");

        var server = await LoopbackJobServer.StartAsync(jobsDb, serverPort);
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 10).Select(_ => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 1_500 })))], ct);
        var first = AppProcess.StartSilo(temp.Path, arguments);
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

        // Restarted without starting its configured bots: the roster, resumed as the cluster starts, brings the bot back.
        await using var restartedServer = await LoopbackJobServer.StartAsync(jobsDb, serverPort);
        await using var second = AppProcess.StartSilo(
            temp.Path, [.. arguments, "--BotFleet:Silo:StartConfiguredBots=false", "--Logging:LogLevel:BotFleet.Scheduling.Fleet=Information"]);
        var stats = await Eventually.ValueAsync(
            () => restartedServer.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 10, $"10 jobs completed after the restart\n{second.Output}", TimeSpan.FromSeconds(150));

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
        Assert.True(second.Output.Contains("resuming the fleet's bots as the cluster starts", StringComparison.Ordinal), second.Output);
    }

    [Fact]
    public async Task UnreadableBotState_IsQuarantinedAndTheBotStartsCleanAndKeepsWorking()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var orleansDb = temp.File("orleans.db");
        var serverPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var arguments = SiloArguments(orleansDb, serverPort, gatewayPort, "echo");
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), serverPort);

        await using (var first = AppProcess.StartSilo(temp.Path, arguments))
        {
            await SubmitEchoJobsAsync(server, 3, ct);
            await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 3, "3 jobs completed", TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }

        // Bit rot, a bad migration, a hand edit: every stored grain state becomes unreadable.
        var corrupted = Execute(orleansDb, "UPDATE OrleansGrainState SET Payload = CAST('{not json' AS BLOB)");

        await using var second = AppProcess.StartSilo(temp.Path, arguments);
        await SubmitEchoJobsAsync(server, 3, ct);
        await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 6, $"3 more jobs completed after the restart\n{second.Output}", TimeSpan.FromSeconds(60));
        await using var connection = await FleetConnection.ConnectAsync(new BotFleetClientOptions { GatewayPort = gatewayPort }, ct);
        var status = await connection.Client.GetBotStatusAsync("crash-bot", ct);

        Assert.True(corrupted >= 2, $"expected the roster and the bot state to be stored, found {corrupted} row(s)");
        Assert.Equal(corrupted, Query(orleansDb, "SELECT COUNT(*) FROM BotFleetQuarantinedState WHERE CAST(Payload AS TEXT) = '{not json'"));
        Assert.Equal(BotFleet.Contracts.Bots.BotState.Active, status.State);
        Assert.Equal(3, status.JobsCompleted);
        Assert.Contains("quarantined", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloKilledWithJobsRunning_TheRestartedBotReleasesThemAtOnce_AndTheyRunAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var serverPort = FreePort.Next();
        var orleansDb = temp.File("orleans.db");
        var arguments = SiloArguments(orleansDb, serverPort, FreePort.Next(), "sleep");
        // Leases far longer than the test: only the "worker lost" report can free the jobs in time.
        await using var server = await LoopbackJobServer.StartAsync(temp.File("jobs.db"), serverPort, new Dictionary<string, string?> { ["JobServer:JobLeaseTtl"] = "01:00:00" });
        var ids = await server.Producer.SubmitBatchAsync(
            [.. Enumerable.Range(0, 3).Select(_ => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 3_000 }), MaxAttempts: 3))], ct);

        await using (var first = AppProcess.StartSilo(temp.Path, arguments))
        {
            await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Leased == 3, $"3 jobs running\n{first.Output}", TimeSpan.FromSeconds(60));

            // The bot records its running jobs right after the claim answer; kill it only once they are durable.
            await Eventually.ValueAsync(
                () => Task.FromResult(ids.Count(id => Query(orleansDb, $"SELECT COUNT(*) FROM OrleansGrainState WHERE instr(Payload, CAST('{id}' AS BLOB)) > 0") > 0)),
                recorded => recorded == 3,
                "3 running jobs in the bot's grain state",
                TimeSpan.FromSeconds(30));
            await first.KillAsync();
        }

        await using var second = AppProcess.StartSilo(temp.Path, arguments);
        await Eventually.ValueAsync(() => server.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 3, $"3 jobs completed after the restart\n{second.Output}", TimeSpan.FromSeconds(60));

        foreach (var id in ids)
        {
            var job = await server.Producer.GetJobAsync(id, ct);
            Assert.Equal(
                [("failed", BotFleet.Scheduling.Scheduling.BotScheduler.WorkerLostError), ("completed", null)],
                job!.Attempts.Select(a => (a.Outcome, a.Error)));
        }
    }

    private static string[] SiloArguments(string orleansDb, int serverPort, int gatewayPort, string operation) =>
        SiloCommandLine.OnLoopback(gatewayPort: gatewayPort)
            .StateInSqlite(orleansDb)
            .WithJobServer(new Uri($"http://127.0.0.1:{serverPort}"))
            .Quiet()
            .FastScheduling()
            .With(
                "--BotFleet:Silo:JobApiTimeout=00:00:02",
                $"--BotFleet:Bots:crash-bot:Operations:0={operation}",
                "--BotFleet:Bots:crash-bot:MaxConcurrency=10")
            .ToArray();

    private static Task<IReadOnlyList<string>> SubmitEchoJobsAsync(LoopbackJobServer server, int count, CancellationToken ct) =>
        server.Producer.SubmitBatchAsync([.. Enumerable.Range(0, count).Select(i => new SubmitJobRequest("echo", JsonSerializer.SerializeToElement(new { i })))], ct);

    private static long Query(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static int Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static long CountKeepAliveReminders(string databasePath)
    {
        return Query(databasePath, "SELECT COUNT(*) FROM OrleansReminder WHERE ReminderName = 'keep-alive' AND GrainId LIKE '%crash-bot%'");
    }
}
