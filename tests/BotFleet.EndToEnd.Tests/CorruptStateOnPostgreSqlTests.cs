using System.Text.Json;
using BotFleet.Contracts.Bots;
using BotFleet.EndToEnd.Tests.Infrastructure;
using BotFleet.JobApi.Contracts;
using Npgsql;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// B5.2 on PostgreSQL with real processes: a bot's stored state that can no longer be read, while it still holds
/// reports the job server never received, is set aside whole for an operator; the bot starts clean and keeps working,
/// and the jobs whose reports were in it run again once their leases run out, so none is lost.
/// </summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class CorruptStateOnPostgreSqlTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string BotKey = "corrupt-bot";

    /// <param name="damage">SQL for the stored payload's new value (a torn write, a lost first byte, a bit flipped).</param>
    [Theory]
    [InlineData("substring(Payload FROM 1 FOR length(Payload) - 8)")]
    [InlineData("substring(Payload FROM 2)")]
    [InlineData("set_byte(Payload, length(Payload) - 2, get_byte(Payload, length(Payload) - 2) # 1)")]
    public async Task UnreadableStateHoldingPendingReports_IsQuarantinedWithThem_TheBotStartsClean_AndTheJobsRunAgain(string damage)
    {
        var ct = TestContext.Current.CancellationToken;
        var orleansDatabase = await postgres.CreateDatabaseAsync();
        string[] bot = [$"BotFleet:Bots:{BotKey}:Operations:0=sleep", $"BotFleet:Bots:{BotKey}:MaxConcurrency=5"];
        await using var cluster = await ProcessCluster.StartAsync(await postgres.CreateDatabaseAsync(), orleansDatabase, bot, ct);
        var first = await cluster.StartSiloAsync("silo-1", startConfiguredBots: true, ct);
        IReadOnlyList<string> ids;
        // Connected before the submit: on a loaded machine the client's connection took longer than the jobs' 4 s run.
        await using (var connection = await ProcessCluster.ConnectAsync(first, ct))
        {
            ids = await cluster.Producer.SubmitBatchAsync(
                [.. Enumerable.Range(0, 5).Select(_ => new SubmitJobRequest("sleep", JsonSerializer.SerializeToElement(new { ms = 4_000 }), MaxAttempts: 3))], ct);
            // Running on the bot, not only leased at the server (a claim answer can be lost on a loaded machine).
            await Eventually.ValueAsync(() => connection.Client.GetBotStatusAsync(BotKey, ct), s => s.InFlight == 5, "5 jobs running on the bot", TimeSpan.FromSeconds(60));

            // The job server goes away while the jobs run: their results can only go to the bot's durable outbox.
            await cluster.JobServer!.KillAsync();
            await Eventually.ValueAsync(() => connection.Client.GetBotStatusAsync(BotKey, ct), s => s.OutboxSize == 5, "5 reports in the outbox", TimeSpan.FromSeconds(60));
        }

        await Eventually.ValueAsync(() => CountRowsHoldingAsync(orleansDatabase, ids), n => n == ids.Count, "the 5 pending reports stored", TimeSpan.FromSeconds(30));
        await first.Process!.KillAsync();
        // Bit rot, a torn write, a hand edit: the stored state is damaged, though the reports are still in it.
        var corrupted = await ExecuteAsync(orleansDatabase, $"UPDATE OrleansGrainState SET Payload = {damage} WHERE GrainIdExtension LIKE '%{BotKey}%'");

        await cluster.StartJobServerAsync(ct);
        await cluster.RestartSiloAsync(first, startConfiguredBots: true, ct);
        var stats = await Eventually.ValueAsync(() => cluster.Producer.GetStatsAsync(ct), s => s.Jobs.Completed == 5, "the 5 jobs completed after their leases ran out", TimeSpan.FromSeconds(90));
        await using var after = await ProcessCluster.ConnectAsync(first, ct);
        var status = await after.Client.GetBotStatusAsync(BotKey, ct);
        var quarantinedHolding = await CountQuarantinedHoldingAsync(orleansDatabase, ids);

        Assert.Equal(1, corrupted);
        Assert.Equal(ids.Count, quarantinedHolding);
        Assert.Contains("quarantined", first.Process!.Output, StringComparison.Ordinal);
        Assert.Equal(new JobStatusCounts(0, 0, 5, 0), stats.Jobs);
        Assert.Equal((BotState.Active, 0, 5), (status.State, status.OutboxSize, status.JobsCompleted));
        foreach (var id in ids)
        {
            var job = await cluster.Producer.GetJobAsync(id, ct);
            // The first attempt ran, but its report went down with the state: the lease ran out and it ran again.
            Assert.Equal(["lost", "completed"], job!.Attempts.Select(a => a.Outcome));
            Assert.Empty(AttemptOverlap.Find(job));
        }
    }

    private static async Task<long> CountRowsHoldingAsync(string connectionString, IEnumerable<string> ids) =>
        await CountAsync(connectionString, "OrleansGrainState", ids);

    private static async Task<long> CountQuarantinedHoldingAsync(string connectionString, IEnumerable<string> ids) =>
        await CountAsync(connectionString, "BotFleetQuarantinedState", ids);

    // How many of the ids appear in some row's payload.
    private static async Task<long> CountAsync(string connectionString, string table, IEnumerable<string> ids)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        long found = 0;
        foreach (var id in ids)
        {
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table} WHERE position(convert_to(@id, 'UTF8') IN Payload) > 0", connection);
            command.Parameters.AddWithValue("id", id);
            found += (long)(await command.ExecuteScalarAsync())! > 0 ? 1 : 0;
        }

        return found;
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
