using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotFleet.JobServer.Claims;

/// <summary>
/// On PostgreSQL, hears the job arrivals of every server sharing the database: one dedicated connection LISTENs on
/// <see cref="Channel"/> (stores NOTIFY in the transaction that makes jobs claimable; the payload is the operation,
/// or <see cref="AllOperations"/>) and passes each to the in-process signal. When the connection drops it reconnects
/// with backoff, and wakes every waiter once, since notifications may have been missed meanwhile. Does nothing on SQLite.
/// </summary>
internal sealed partial class PostgreSqlJobArrivalListener(
    IOptions<JobServerOptions> options,
    InProcessJobArrivalSignal signal,
    TimeProvider timeProvider,
    ILogger<PostgreSqlJobArrivalListener> logger) : BackgroundService
{
    public const string Channel = "botfleet_jobs";

    public const string AllOperations = "*";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Store != JobStoreKind.PostgreSql || settings.MaxClaimWaiters == 0)
        {
            return;
        }

        // Its own connection outside the pool: LISTEN belongs to a session; keepalives notice a dead peer.
        var connectionString = new NpgsqlConnectionStringBuilder(settings.PostgreSqlConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload == AllOperations)
                    {
                        signal.NotifyAll();
                    }
                    else
                    {
                        signal.Notify(e.Payload);
                    }
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                LogListening(logger, Channel);
                backoff = TimeSpan.FromMilliseconds(500);
                // Whatever happened while we were not listening is unknown: let every waiter look once.
                signal.NotifyAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(logger, ex, backoff.TotalSeconds);
                signal.NotifyAll();
                try
                {
                    await Task.Delay(backoff, timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
