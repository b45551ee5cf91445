using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace BotFleet.JobServer.Tests.Storage;

/// <summary>The real job server (src/BotFleet.JobServer/…/BotFleet.JobServer.dll) as a child process.</summary>
public sealed class JobServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private JobServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>What the server printed so far, for failure messages.</summary>
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

    /// <summary>Starts the server on <paramref name="port"/> with "--key=value" settings (for example "JobServer:Store").</summary>
    public static JobServerProcess Start(string workingDirectory, int port, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var url = $"http://127.0.0.1:{port}";
        start.ArgumentList.Add(ServerAssemblyPath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new JobServerProcess(process, new Uri(url + "/"));
    }

    /// <summary>Polls GET /v1/stats until the server answers 200; fails with its output if it exits or takes too long.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Job server at {BaseAddress} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "v1/stats"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Job server at {BaseAddress} not ready after {timeout}:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
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

    // The server is built through this project's reference to it, in the same configuration.
    private static string ServerAssemblyPath()
    {
        var configuration = typeof(JobServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"Orleans.sln not found above {AppContext.BaseDirectory}");
        }

        var path = Path.Combine(directory.FullName, "src", "BotFleet.JobServer", "bin", configuration, "net10.0", "BotFleet.JobServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the job server first (dotnet build).", path);
    }
}
