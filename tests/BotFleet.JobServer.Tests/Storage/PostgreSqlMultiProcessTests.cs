using System.Collections.Concurrent;
using System.Text.Json;
using BotFleet.JobApi.Client;
using BotFleet.JobApi.Contracts;
using BotFleet.Testing;
using Npgsql;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>Three real job server processes on one PostgreSQL database, with bots spreading their calls over all three.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMultiProcessTests(PostgresFixture postgres)
{
    private const int JobCount = 10_000;
    private const int ServerCount = 3;
    private const int ClaimersPerServer = 4;
    private const string Op = "multi-process";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeServers_OneDatabase_LeaseEachJobOnceAndCompleteEachOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var folder = new TempDirectory("botfleet-multiprocess-");
        var servers = new List<(AppProcess Process, Uri Address)>();
        var clients = new List<JobApiClient>();
        var clientHttp = new List<HttpClient>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            for (var i = 0; i < ServerCount; i++)
            {
                var address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
                servers.Add((AppProcess.StartJobServer(folder.Path,
                [
                    "--urls", address.ToString(),
                    "--JobServer:Store=PostgreSql",
                    $"--JobServer:PostgreSqlConnectionString={connectionString}",
                    // Were the PostgreSQL store not wired, each server would fall back to its own SQLite file here.
                    $"--JobServer:DatabasePath={Path.Combine(folder.Path, $"server-{i}.db")}",
                    "--Logging:LogLevel:Default=Warning",
                    // This test is about shared storage; 12 bots flat out would trip the per-bot rate limit.
                    "--JobServer:RateLimits:Enabled=false",
                ]), address));
            }

            await Task.WhenAll(servers.Select(s => s.Process.WaitUntilReadyAsync(s.Address, http, TimeSpan.FromSeconds(60), Token)));
            Assert.False(
                Directory.EnumerateFiles(folder.Path, "server-*.db").Any(),
                "A server created its SQLite file: JobServer:Store=PostgreSql is not honoured (is AddBotFleetJobStore wired into AddBotFleetJobServer?).");
            clientHttp.AddRange(servers.Select(s => new HttpClient { BaseAddress = s.Address, Timeout = TimeSpan.FromSeconds(30) }));
            clients.AddRange(clientHttp.Select(h => new JobApiClient(h)));

            // Submit through all three servers, 1,000 per call.
            for (var batch = 0; batch < JobCount / 1_000; batch++)
            {
                await clients[batch % ServerCount].SubmitBatchAsync(
                    Enumerable.Range(batch * 1_000, 1_000).Select(n => new SubmitJobRequest(Op, JsonSerializer.SerializeToElement(new { n }))).ToList(),
                    Token);
            }

            var claimers = new List<(RegisterBotRequest Registration, RegisterBotResponse Bot, int Home)>();
            for (var i = 0; i < ServerCount * ClaimersPerServer; i++)
            {
                var registration = new RegisterBotRequest($"key-{Guid.NewGuid():N}", Guid.NewGuid().ToString(), "1.2.3", [Op], new BotResources(4, 1024));
                claimers.Add((registration, await clients[i % ServerCount].RegisterAsync(registration, Token), i % ServerCount));
            }

            var live = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var claims = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var doubleLeases = new ConcurrentBag<string>();
            var deliveries = new ConcurrentBag<ReportDelivery>();
            var result = JsonSerializer.SerializeToElement(new { ok = true });
            await Task.WhenAll(claimers.Select(claimer => Task.Run(async () =>
            {
                // Every call goes to the next server: a bot registered on one server claims on another and reports on a third.
                var call = claimer.Home;
                while (true)
                {
                    var response = await clients[call++ % ServerCount].ClaimAsync(new ClaimRequest(claimer.Bot.BotId, [Op], 25), claimer.Bot.Auth.AccessToken, Token);
                    if (response.Jobs.Count == 0)
                    {
                        return;
                    }

                    var jobs = response.Jobs.Select(j => ClaimedJobParser.Parse(j).Job ?? throw new InvalidOperationException("malformed job")).ToList();
                    foreach (var job in jobs)
                    {
                        claims.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                        if (!live.TryAdd(job.Id, claimer.Bot.BotId))
                        {
                            doubleLeases.Add(job.Id);
                        }
                    }

                    foreach (var job in jobs)
                    {
                        deliveries.Add(await clients[call++ % ServerCount].CompleteAsync(
                            job.Id, new CompleteRequest(claimer.Registration.InstanceId, result), claimer.Bot.Auth.AccessToken, Token));
                        live.TryRemove(job.Id, out _);
                    }
                }
            }, Token)));

            Assert.Empty(doubleLeases);
            Assert.Equal(JobCount, claims.Count);
            Assert.All(claims.Values, n => Assert.Equal(1, n));
            Assert.Equal(JobCount, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(ReportDelivery.Accepted, d));
            foreach (var client in clients)
            {
                Assert.Equal(new JobStatusCounts(0, 0, JobCount, 0), (await client.GetStatsAsync(Token)).ByOp[Op]);
            }

            // Each completion kept its one attempt on the jobs row: no job_attempts row at all.
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(Token);
            await using var command = new NpgsqlCommand(
                """
                SELECT (SELECT count(*) FROM job_attempts),
                       count(*),
                       count(*) FILTER (WHERE attempt = 1 AND lease_bot_id IS NOT NULL AND lease_started_at IS NOT NULL AND lease_until IS NULL)
                FROM jobs WHERE status = 'completed'
                """,
                connection);
            await using var reader = await command.ExecuteReaderAsync(Token);
            Assert.True(await reader.ReadAsync(Token));
            Assert.Equal(
                (0L, (long)JobCount, (long)JobCount),
                (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        finally
        {
            clientHttp.ForEach(h => h.Dispose());
            foreach (var server in servers)
            {
                await server.Process.DisposeAsync();
            }
        }
    }
}
