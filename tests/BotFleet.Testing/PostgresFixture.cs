using System.Diagnostics;
using Npgsql;

namespace BotFleet.Testing;

/// <summary>
/// A PostgreSQL server for the tests. Uses the server named by <c>BOTFLEET_TEST_POSTGRES</c> (a connection string
/// whose user may CREATE DATABASE) when set; otherwise starts a throwaway cluster with initdb/pg_ctl in a temp
/// folder on a free loopback port and removes it on dispose. If neither works the tests fail with the reason:
/// they are never skipped.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "BOTFLEET_TEST_POSTGRES";

    private readonly List<string> _databases = [];
    private string? _clusterFolder;
    private string? _dataFolder;

    /// <summary>Connection string of the maintenance database (<c>postgres</c>).</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            AdminConnectionString = fromEnvironment;
        }
        else
        {
            try
            {
                AdminConnectionString = await StartThrowawayClusterAsync();
            }
            catch (Exception exception)
            {
                var where = Environment.GetEnvironmentVariable("CI") == "true" ? "on CI" : "on this machine";
                throw new InvalidOperationException(
                    $"PostgreSQL tests cannot run {where}: {EnvironmentVariable} is not set and starting a throwaway " +
                    $"cluster with initdb/pg_ctl failed ({exception.Message}). Install PostgreSQL binaries or set " +
                    $"{EnvironmentVariable} to a connection string of a server where the user may CREATE DATABASE.",
                    exception);
            }
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? password = null)
    {
        var name = $"botfleet_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        if (password is not null)
        {
            builder.Password = password;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Restarts the server (fast shutdown: open connections are cut, as in a failover or a restart by an operator),
    /// waiting until it accepts connections again. Only the throwaway cluster can be restarted.
    /// </summary>
    public async Task RestartAsync()
    {
        if (_dataFolder is null)
        {
            throw new InvalidOperationException($"Restarting PostgreSQL needs the throwaway cluster; {EnvironmentVariable} names a server the tests do not own.");
        }

        await RunAsync("pg_ctl", ["-D", _dataFolder, "-l", Path.Combine(_clusterFolder!, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"], asPostgresUser: true);

        // The restart cut every connection, the idle pooled ones of this process too: the next test that creates a
        // database would be handed one of those and fail with 57P01 (seen on a fresh-clone run of stop 29).
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataFolder is not null)
        {
            await RunAsync("pg_ctl", ["-D", _dataFolder, "-m", "immediate", "-w", "stop"], asPostgresUser: true);
            TryDelete(_clusterFolder!);
            return;
        }

        if (AdminConnectionString.Length == 0)
        {
            return;
        }

        // An external server outlives the tests: drop what they created.
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> StartThrowawayClusterAsync()
    {
        _clusterFolder = Path.Combine(Path.GetTempPath(), $"botfleet-pg-{Guid.NewGuid():N}");
        // The server runs as "postgres" when we are root, so that user must be able to write here.
        Directory.CreateDirectory(_clusterFolder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_clusterFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }
        var dataFolder = Path.Combine(_clusterFolder, "data");
        var port = FreePort.Next();

        await RunAsync("initdb", ["-D", dataFolder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], asPostgresUser: true);
        _dataFolder = dataFolder;
        await RunAsync(
            "pg_ctl",
            ["-D", dataFolder, "-l", Path.Combine(_clusterFolder, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {_clusterFolder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
             "start"],
            asPostgresUser: true);

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        // initdb refuses to run as root, so as root we switch to the "postgres" user.
        var asRoot = asPostgresUser && Environment.UserName == "root";
        var startInfo = new ProcessStartInfo(asRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add("postgres");
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await error}{await output}".Trim());
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
