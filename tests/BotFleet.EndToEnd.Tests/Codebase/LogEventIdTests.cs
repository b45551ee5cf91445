using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BotFleet.JobApi.Client;
using BotFleet.JobServer;
using BotFleet.Scheduling;
using BotFleet.Storage;

namespace BotFleet.EndToEnd.Tests.Codebase;

/// <summary>
/// Every source-generated log of every BotFleet assembly that runs in the silo has an event id of its own: taken from its
/// assembly's registry (<c>*LogEvents</c>), inside that registry's range, and the ranges apart. The assemblies are read as
/// metadata, not loaded: the silo loaded into this process would be found by Orleans' assembly scan in the other tests,
/// which then look for its references (the dashboard) that this project lacks.
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EveryLog_UsesAnIdOfItsAssemblysRegistry_InItsRange_AndNoIdIsUsedTwice()
    {
        string[] paths =
        [
            typeof(JobApiLogEvents).Assembly.Location,
            typeof(JobServerLogEvents).Assembly.Location,
            typeof(SchedulingLogEvents).Assembly.Location,
            typeof(StorageLogEvents).Assembly.Location,
            AppProcess.SiloAssemblyPath,
        ];
        var uses = new List<(string Assembly, string Method, int Id)>();
        var problems = new List<string>();
        var ranges = new List<(string Assembly, int First, int Last)>();
        foreach (var path in paths)
        {
            var (name, registry, ids, logs) = Read(path);
            Assert.True(registry is not null, $"{name} has no *LogEvents registry");
            var (first, last) = (ids["First"], ids["Last"]);
            ranges.Add((name, first, last));
            var declared = ids.Where(kv => kv.Key is not ("First" or "Last")).Select(kv => kv.Value).ToList();
            uses.AddRange(logs.Select(l => (name, l.Method, l.Id)));
            problems.AddRange(logs.Where(l => l.Id < first || l.Id > last).Select(l => $"{name}: {l.Method} has id {l.Id}, outside {first}–{last}"));
            problems.AddRange(logs.Where(l => !declared.Contains(l.Id)).Select(l => $"{name}: {l.Method} has id {l.Id}, which {registry} does not declare"));
            problems.AddRange(declared.Where(id => logs.Count(l => l.Id == id) != 1).Select(id => $"{name}: {registry} id {id} is used by {logs.Count(l => l.Id == id)} logs, not one"));
            problems.AddRange(declared.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{name}: {registry} declares {g.Key} {g.Count()} times"));
        }

        problems.AddRange(uses.GroupBy(u => u.Id).Where(g => g.Count() > 1).Select(g => $"id {g.Key} is used by {string.Join(", ", g.Select(u => $"{u.Assembly} {u.Method}"))}"));
        problems.AddRange(
            from a in ranges
            from b in ranges
            where string.CompareOrdinal(a.Assembly, b.Assembly) < 0 && a.First <= b.Last && b.First <= a.Last
            select $"the ranges of {a.Assembly} and {b.Assembly} overlap");

        Assert.Empty(problems);
        // The check reads real logs: every assembly has some (the job server and the bots dozens).
        Assert.All(ranges, r => Assert.Contains(uses, u => u.Assembly == r.Assembly));
        Assert.True(uses.Count >= 80, $"only {uses.Count} logs found");
    }

    /// <summary>The assembly's name, its registry's name and constants, and the event id of each [LoggerMessage] method (-1: none given).</summary>
    private static (string Name, string? Registry, Dictionary<string, int> Ids, List<(string Method, int Id)> Logs) Read(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        string? registry = null;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var logs = new List<(string, int)>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            var typeName = metadata.GetString(type.Name);
            if (typeName.EndsWith("LogEvents", StringComparison.Ordinal))
            {
                registry = typeName;
                foreach (var fieldHandle in type.GetFields())
                {
                    var field = metadata.GetFieldDefinition(fieldHandle);
                    if ((field.Attributes & FieldAttributes.Literal) != 0)
                    {
                        ids[metadata.GetString(field.Name)] = metadata.GetBlobReader(metadata.GetConstant(field.GetDefaultValue()).Value).ReadInt32();
                    }
                }
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                foreach (var attributeHandle in method.GetCustomAttributes())
                {
                    var attribute = metadata.GetCustomAttribute(attributeHandle);
                    if (AssemblyMetadata.AttributeName(metadata, attribute) == "LoggerMessageAttribute")
                    {
                        var value = attribute.DecodeValue(new AttributeValues());
                        var eventId = value.NamedArguments.Where(a => a.Name == "EventId").Select(a => (int)a.Value!).DefaultIfEmpty(
                            value.FixedArguments.Length > 0 && value.FixedArguments[0].Value is int positional ? positional : -1).First();
                        logs.Add(($"{typeName}.{metadata.GetString(method.Name)}", eventId));
                    }
                }
            }
        }

        return (metadata.GetString(metadata.GetAssemblyDefinition().Name), registry, ids, logs);
    }

    /// <summary>Decodes attribute arguments as plain values; enums (LogLevel) are read as their underlying int.</summary>
    private sealed class AttributeValues : ICustomAttributeTypeProvider<object?>
    {
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode;

        public object? GetSystemType() => typeof(Type);

        public object? GetSZArrayType(object? elementType) => elementType;

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => PrimitiveTypeCode.Int32;

        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => PrimitiveTypeCode.Int32;

        public object? GetTypeFromSerializedName(string name) => PrimitiveTypeCode.Int32;

        public PrimitiveTypeCode GetUnderlyingEnumType(object? type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(object? type) => type is Type;
    }
}
