using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BotFleet.Client;
using BotFleet.JobApi.Client;
using BotFleet.JobServer;
using BotFleet.Scheduling;
using BotFleet.Storage;

namespace BotFleet.EndToEnd.Tests.Codebase;

/// <summary>
/// Every setting named like a secret (…Key, …ConnectionString, …Password, …Secret, …Token) of every options class of
/// the product carries the one marker, <c>[Secret]</c> (BotFleet.Settings), which start-up errors honour. Read as
/// metadata, the silo's assembly included (see <see cref="LogEventIdTests"/> for why it is never loaded here).
/// </summary>
public sealed class SecretSettingsTests
{
    private static readonly string[] SecretNames = ["Key", "ConnectionString", "Password", "Secret", "Token"];

    [Fact]
    public void EverySettingNamedLikeASecret_CarriesTheSecretMarker()
    {
        string[] paths =
        [
            typeof(JobServerOptions).Assembly.Location,
            typeof(JobApiResilienceOptions).Assembly.Location,
            typeof(SchedulingLogEvents).Assembly.Location,
            typeof(StorageLogEvents).Assembly.Location,
            typeof(BotFleetClientOptions).Assembly.Location,
            AppProcess.SiloAssemblyPath,
        ];

        var secrets = paths.SelectMany(SecretNamedSettings).ToList();

        Assert.Empty(secrets.Where(s => !s.Marked).Select(s => $"{s.Setting} holds a secret by its name but has no [Secret]"));
        // The check reads real options: the job server's three, the silo's two and the PostgreSQL store's one at least.
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "JobServerOptions.ApiKey", "JobServerOptions.EnrollmentKey", "JobServerOptions.PostgreSqlConnectionString",
                "SiloOptions.EnrollmentKey", "SiloOptions.PostgreSqlConnectionString", "BotFleetPostgreSqlOptions.ConnectionString",
            },
            secrets.Select(s => s.Setting).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void HostSettings_KnowsASecretByItsMarker()
    {
        var settings = HostSettings.ForJobServer();

        Assert.True(settings.IsSecret("JobServer:ApiKey"));
        Assert.True(settings.IsSecret("JobServer:PostgreSqlConnectionString"));
        Assert.False(settings.IsSecret("JobServer:DatabasePath"));
        Assert.False(settings.IsSecret("Elsewhere:ApiKey"));
    }

    private static IEnumerable<(string Setting, bool Marked)> SecretNamedSettings(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var found = new List<(string, bool)>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            var typeName = metadata.GetString(type.Name);
            if (!typeName.EndsWith("Options", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var propertyHandle in type.GetProperties())
            {
                var property = metadata.GetPropertyDefinition(propertyHandle);
                var name = metadata.GetString(property.Name);
                if (SecretNames.Any(secret => name.EndsWith(secret, StringComparison.Ordinal)))
                {
                    var marked = property.GetCustomAttributes().Any(a => AssemblyMetadata.AttributeName(metadata, metadata.GetCustomAttribute(a)) == "SecretAttribute");
                    found.Add(($"{typeName}.{name}", marked));
                }
            }
        }

        return found;
    }
}
