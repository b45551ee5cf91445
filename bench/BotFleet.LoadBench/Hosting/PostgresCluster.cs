using System.Diagnostics;
using System.Globalization;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// A throwaway PostgreSQL cluster (initdb + pg_ctl, as user "postgres" when we are root) on a free loopback port
/// in the run's folder, with PostgreSQL's default durability (fsync on). Stopped with <c>pg_ctl -m immediate</c>
/// on dispose, and its postmaster killed if that fails. Like tests/BotFleet.Testing's PostgresFixture, which is
/// an xUnit fixture and does not expose the postmaster's pid that the CPU figures need.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly string[] RequiredPrograms = ["pg_ctl", "createdb"];

    private readonly string _binaries;
    private readonly string _dataFolder;

    private PostgresCluster(string binaries, string folder, int port, int postmasterPid)
    {
        _binaries = binaries;
        Folder = folder;
        _dataFolder = Path.Combine(folder, "data");
        Port = port;
        PostmasterPid = postmasterPid;
    }

    public string Folder { get; }

    public int Port { get; }

    public int PostmasterPid { get; }

    public string LogPath => Path.Combine(Folder, "server.log");

    public static async Task<PostgresCluster> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var binaries = FindBinaries();
        // The server runs as "postgres" when we are root, so that user must be able to write here.
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var data = Path.Combine(folder, "data");
        var port = FreePort.Next();
        await RunAsync(binaries, "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], cancellationToken);
        await RunAsync(
            binaries,
            "pg_ctl",
            ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300",
             "start"],
            cancellationToken);
        var pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        return new PostgresCluster(binaries, folder, port, pid);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await RunAsync(_binaries, "createdb", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name], cancellationToken);
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(_binaries, "pg_ctl", ["-D", _dataFolder, "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }
        catch (BenchException)
        {
            try
            {
                using var postmaster = Process.GetProcessById(PostmasterPid);
                postmaster.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static string FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            : [];
        // initdb on PATH is often a link into /usr/lib/postgresql/N/bin, which also holds createdb.
        return path.Concat(versioned)
                .Select(d => Path.Combine(d, "initdb"))
                .Where(File.Exists)
                .Select(initdb => Path.GetDirectoryName(File.ResolveLinkTarget(initdb, returnFinalTarget: true)?.FullName ?? initdb)!)
                .FirstOrDefault(d => RequiredPrograms.All(p => File.Exists(Path.Combine(d, p))))
            ?? throw new BenchException("PostgreSQL server binaries (initdb, pg_ctl, createdb) are not on PATH nor in /usr/lib/postgresql/*/bin; install PostgreSQL 15+ (apt-get install postgresql).");
    }

    private static async Task RunAsync(string binaries, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // initdb refuses to run as root, so as root the cluster belongs to "postgres".
        var asRoot = Environment.UserName == "root";
        var executable = Path.Combine(binaries, program);
        var start = new ProcessStartInfo(asRoot ? "runuser" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", executable })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new BenchException($"{program} did not finish within 2 minutes (or the run was cancelled).");
        }

        if (process.ExitCode != 0)
        {
            throw new BenchException($"{program} exited with {process.ExitCode}: {(await error + await output).Trim()}");
        }
    }
}
