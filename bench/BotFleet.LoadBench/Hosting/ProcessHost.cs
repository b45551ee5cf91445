using System.Diagnostics;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// One product executable as a child process: own working folder, stdout and stderr written straight to files
/// (through <c>sh -c exec</c>, so the harness pumps no pipes and the pid is the product's own), killed with its
/// whole tree on dispose.
/// </summary>
internal sealed class ProcessHost : IAsyncDisposable
{
    private readonly Process _process;

    private ProcessHost(string name, Process process, string stdoutPath, string stderrPath)
    {
        Name = name;
        _process = process;
        StdoutPath = stdoutPath;
        StderrPath = stderrPath;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string StdoutPath { get; }

    public string StderrPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ProcessHost Start(string name, string executable, string workingDirectory, IEnumerable<string> arguments)
    {
        if (!File.Exists(executable))
        {
            throw new BenchException($"{name}: {executable} does not exist. Build the product in Release first (or pass --build).");
        }

        var stdout = Path.Combine(workingDirectory, $"{name}.stdout.log");
        var stderr = Path.Combine(workingDirectory, $"{name}.stderr.log");
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", "o=$1; e=$2; shift 2; exec \"$@\" >\"$o\" 2>\"$e\" </dev/null", "sh", stdout, stderr, executable })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new BenchException($"{name}: {executable} did not start.");
        return new ProcessHost(name, process, stdout, stderr);
    }

    /// <summary>The last lines of stderr (or stdout when stderr is empty), for error messages.</summary>
    public string Tail(int lines = 20)
    {
        foreach (var path in new[] { StderrPath, StdoutPath })
        {
            try
            {
                var text = File.ReadLines(path).TakeLast(lines).ToList();
                if (text.Count > 0)
                {
                    return string.Join(Environment.NewLine, text);
                }
            }
            catch (IOException)
            {
                // Not written yet.
            }
        }

        return "(no output)";
    }

    /// <summary>How many lines of stdout contain <paramref name="text"/> (read after the process stopped).</summary>
    public long CountOutputLines(string text)
    {
        if (!File.Exists(StdoutPath))
        {
            return 0;
        }

        using var stream = new FileStream(StdoutPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0L;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"warning: {Name} (pid {Pid}) did not exit 10 s after SIGKILL.");
        }

        _process.Dispose();
    }
}
