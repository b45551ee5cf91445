using System.Xml.Linq;

namespace BotFleet.EndToEnd.Tests.Codebase;

/// <summary>
/// The product's projects reference inward only: the contracts depend on nothing of ours, clients and the job server on
/// the contracts, and only the hosts (the silo, the standalone job server, the CLI) put the pieces together. Read from
/// the project files, so a reference that points the wrong way fails here before it becomes a tangle.
/// </summary>
public sealed class ProjectReferenceTests
{
    // Each product project and every project it may reference. A new project must be placed here.
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["BotFleet.Contracts"] = [],
        ["BotFleet.Settings"] = [],
        ["BotFleet.JobApi.Contracts"] = [],
        ["BotFleet.JobApi.Client"] = ["BotFleet.JobApi.Contracts"],
        ["BotFleet.JobServer"] = ["BotFleet.JobApi.Contracts", "BotFleet.Settings"],
        ["BotFleet.Storage"] = ["BotFleet.Settings"],
        ["BotFleet.Scheduling"] = ["BotFleet.Contracts", "BotFleet.JobApi.Client"],
        ["BotFleet.Client"] = ["BotFleet.Contracts"],
        ["BotFleet.JobServer.Host"] = ["BotFleet.JobServer"],
        ["BotFleet.Silo"] = ["BotFleet.Scheduling", "BotFleet.Storage", "BotFleet.JobServer"],
        ["BotFleet.Cli"] = ["BotFleet.Client", "BotFleet.JobApi.Client"],
    };

    private static readonly string[] Hosts = ["BotFleet.JobServer.Host", "BotFleet.Silo", "BotFleet.Cli"];

    // Packages that make a process rather than a part of one: only hosts take them.
    private static readonly string[] HostPackages = ["Microsoft.Orleans.Server", "Microsoft.Orleans.Dashboard"];

    [Fact]
    public void EveryProductProject_ReferencesOnlyTheProjectsItsLayerMay()
    {
        var projects = ProductProjects();

        var problems = new List<string>();
        problems.AddRange(projects.Keys.Where(name => !Allowed.ContainsKey(name)).Select(name => $"{name} is not placed in this test's layers"));
        problems.AddRange(Allowed.Keys.Where(name => !projects.ContainsKey(name)).Select(name => $"{name} is placed here but no longer exists"));
        foreach (var (name, project) in projects.Where(p => Allowed.ContainsKey(p.Key)))
        {
            problems.AddRange(project.References.Except(Allowed[name]).Select(reference => $"{name} references {reference}, which it may not"));
            if (!Hosts.Contains(name))
            {
                problems.AddRange(project.Packages.Intersect(HostPackages).Select(package => $"{name} (a library) references the host package {package}"));
                if (project.Sdk != "Microsoft.NET.Sdk")
                {
                    problems.AddRange([$"{name} (a library) uses the SDK {project.Sdk}"]);
                }
            }
        }

        Assert.Empty(problems);
        // The check reads real project files: eleven projects, the silo's three references among them.
        Assert.Equal(Allowed.Count, projects.Count);
        Assert.Equal(["BotFleet.JobServer", "BotFleet.Scheduling", "BotFleet.Storage"], projects["BotFleet.Silo"].References.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, ProjectFile> ProductProjects() =>
        new[] { "src", "client", "silo" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Select(ProjectFile.Read)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);

    private sealed record ProjectFile(string Name, string Sdk, string[] References, string[] Packages)
    {
        public static ProjectFile Read(string path)
        {
            var root = XDocument.Load(path).Root!;
            return new(
                Path.GetFileNameWithoutExtension(path),
                (string?)root.Attribute("Sdk") ?? "",
                [.. root.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')))],
                [.. root.Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!)]);
        }
    }
}
