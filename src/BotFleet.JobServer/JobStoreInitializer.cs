using System.Net.Sockets;
using BotFleet.JobServer.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotFleet.JobServer;

/// <summary>
/// Creates the schema at start-up, so a bad database path fails the start rather than the first request; a PostgreSQL
/// server it cannot reach or log in to stops the start naming the setting, not with a stack trace.
/// </summary>
internal sealed class JobStoreInitializer(IJobStore store, IOptions<JobServerOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch (NpgsqlException ex) when (options.Value.Store == JobStoreKind.PostgreSql && IsConnectionFailure(ex))
        {
            throw new HostConfigurationException(
                $"JobServer:PostgreSqlConnectionString: cannot connect to PostgreSQL ({ex.Message.TrimEnd('.')}); check the host, port, user, password and database it names.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Refused, unreachable or timed out; a wrong password (28P01), an unknown user (28000) or database (3D000).
    private static bool IsConnectionFailure(NpgsqlException exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is "28P01" or "28000" or "3D000",
        { InnerException: SocketException or TimeoutException } => true,
        _ => exception.Message.StartsWith("Failed to connect", StringComparison.Ordinal),
    };
}
