using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace BotFleet.Testing;

/// <summary>
/// A real BotFleet process, the silo (silo/BotFleet.Silo.dll) or the standalone job server
/// (src/BotFleet.JobServer.Host/BotFleet.JobServer.Host.dll), as a child process, so a test can kill it like a crash would or
/// stop it as an operator would.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _errorLines = [];

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data is not null)
            {
                lock (_errorLines)
                {
                    _errorLines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the silo printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The lines the process wrote to stderr so far (they are in <see cref="Output"/> too).</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_errorLines)
            {
                return [.. _errorLines];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>
    /// Starts the silo in <paramref name="workingDirectory"/>. By default its settings are the arguments alone: the content
    /// root is the working directory, so the shipped appsettings.json (its three bots) stays out of the test;
    /// <paramref name="shippedSettings"/> runs it as an operator would, with the appsettings.json beside the executable.
    /// </summary>
    public static AppProcess StartSilo(string workingDirectory, IEnumerable<string> arguments, bool shippedSettings = false) =>
        Start(SiloAssemblyPath, workingDirectory, shippedSettings ? arguments : ["--contentRoot", workingDirectory, .. arguments]);

    /// <summary>Starts the standalone job server in <paramref name="workingDirectory"/>, with the appsettings.json beside its executable.</summary>
    public static AppProcess StartJobServer(string workingDirectory, IEnumerable<string> arguments) =>
        Start(Repository.BuiltAssembly(Path.Combine("src", "BotFleet.JobServer.Host"), "BotFleet.JobServer.Host"), workingDirectory, arguments);

    private static AppProcess Start(string assemblyPath, string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new AppProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits for the silo to exit on its own and returns its exit code; null if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Polls <c>/health/ready</c> under <paramref name="address"/> until it answers 200; fails with the process's output
    /// if it exits first or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilReadyAsync(Uri address, HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{address} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(address, "/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening, but too busy starting to answer within the client's timeout.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{address} not ready after {timeout}:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>SIGTERM, as a service manager stops a process: the host shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no deactivation, exactly like a machine dying.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // The apps are built beside the tests (same configuration) through project references.
    /// <summary>The built silo (BotFleet.Silo.dll) of this test run's configuration.</summary>
    public static string SiloAssemblyPath => Repository.BuiltAssembly("silo", "BotFleet.Silo");
}
