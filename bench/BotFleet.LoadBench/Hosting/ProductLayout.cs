using System.Diagnostics;

namespace BotFleet.LoadBench.Hosting;

/// <summary>
/// Where the built product is: the repository root (the folder holding Orleans.sln above the harness, or
/// <c>--repo</c>) and the Release executables of the silo and the job server. Builds them on request.
/// </summary>
internal sealed class ProductLayout
{
    private ProductLayout(string root)
    {
        Root = root;
        SiloDirectory = Path.Combine(root, "silo", "bin", "Release", "net10.0");
        // A checkout from before the job server became a library (compared side by side) has its host in src/BotFleet.JobServer.
        JobServerHost = Directory.Exists(Path.Combine(root, "src", "BotFleet.JobServer.Host")) ? "BotFleet.JobServer.Host" : "BotFleet.JobServer";
        JobServerDirectory = Path.Combine(root, "src", JobServerHost, "bin", "Release", "net10.0");
        CliExecutable = Path.Combine(root, "client", "BotFleet.Cli", "bin", "Release", "net10.0", "botfleet");
    }

    public string Root { get; }

    public string SiloDirectory { get; }

    public string JobServerDirectory { get; }

    /// <summary>The standalone job server's project and assembly name.</summary>
    public string JobServerHost { get; }

    public string SiloExecutable => Path.Combine(SiloDirectory, "BotFleet.Silo");

    public string JobServerExecutable => Path.Combine(JobServerDirectory, JobServerHost);

    /// <summary>The operator CLI (<c>client/BotFleet.Cli</c>, assembly "botfleet"), which reads the fleet's status over the gateway.</summary>
    public string CliExecutable { get; }

    public static ProductLayout Find(string? root)
    {
        if (root is not null)
        {
            return File.Exists(Path.Combine(root, "Orleans.sln"))
                ? new ProductLayout(Path.GetFullPath(root))
                : throw new BenchException($"--repo {root}: no Orleans.sln there.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return new ProductLayout(directory.FullName);
            }
        }

        throw new BenchException($"Orleans.sln not found above {AppContext.BaseDirectory}; pass --repo.");
    }

    /// <summary>Fails with the build command when an executable is missing.</summary>
    public void RequireBuilt(bool jobServer)
    {
        var missing = new List<string>();
        if (!File.Exists(SiloExecutable))
        {
            missing.Add(SiloExecutable);
        }

        if (jobServer && !File.Exists(JobServerExecutable))
        {
            missing.Add(JobServerExecutable);
        }

        if (missing.Count > 0)
        {
            throw new BenchException(
                $"The product is not built in Release: missing {string.Join(", ", missing)}.{Environment.NewLine}" +
                $"Build it with: dotnet build -c Release {Root}/Orleans.sln   (or run the harness with --build)");
        }
    }

    /// <summary><c>dotnet build -c Release</c> of the silo, the job server and the CLI, output passed through.</summary>
    public async Task BuildAsync(CancellationToken cancellationToken)
    {
        foreach (var project in new[] { "silo/BotFleet.Silo.csproj", $"src/{JobServerHost}/{JobServerHost}.csproj", "client/BotFleet.Cli/BotFleet.Cli.csproj" })
        {
            Console.WriteLine($"dotnet build -c Release {project}");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, UseShellExecute = false };
            foreach (var argument in new[] { "build", "-c", "Release", "--nologo", "-v", "quiet", project })
            {
                start.ArgumentList.Add(argument);
            }

            using var build = Process.Start(start) ?? throw new BenchException("dotnet did not start.");
            try
            {
                await build.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                build.Kill(entireProcessTree: true);
                throw;
            }

            if (build.ExitCode != 0)
            {
                throw new BenchException($"dotnet build -c Release {project} failed with exit code {build.ExitCode}.");
            }
        }
    }

    /// <summary>Copies the settings files shipped beside an executable into a working folder (its content root).</summary>
    public static void CopySettings(string fromDirectory, string toDirectory)
    {
        foreach (var file in Directory.EnumerateFiles(fromDirectory, "appsettings*.json"))
        {
            File.Copy(file, Path.Combine(toDirectory, Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>The commit the product is at (for the report), or null outside git.</summary>
    public string? Commit()
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "rev-parse", "--short=12", "HEAD" })
            {
                start.ArgumentList.Add(argument);
            }

            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
