using System.Reflection;

namespace BotFleet.Testing;

/// <summary>The checkout the tests run from, and the apps built in it beside the tests (same configuration).</summary>
public static class Repository
{
    /// <summary>The folder holding Orleans.sln, above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The built <paramref name="assemblyName"/>.dll of the project in <paramref name="projectFolder"/>, in this test run's configuration.</summary>
    public static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        var configuration = typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(Root, projectFolder, "bin", configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectFolder} first (dotnet build).", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Orleans.sln not found above {AppContext.BaseDirectory}");
    }
}
