using System.Reflection;
using BotFleet.JobApi;
using BotFleet.JobServer;
using BotFleet.Scheduling;
using BotFleet.Storage;
using Microsoft.Extensions.Logging;

namespace BotFleet.EndToEnd.Tests;

/// <summary>
/// Every source-generated log of every BotFleet assembly that runs in the silo has an event id of its own: taken from its
/// assembly's registry (<c>*LogEvents</c>), inside that registry's range, and the ranges apart.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(JobApiLogEvents).Assembly,
        typeof(JobServerLogEvents).Assembly,
        typeof(SchedulingLogEvents).Assembly,
        typeof(StorageLogEvents).Assembly,
        Assembly.LoadFrom(AppProcess.SiloAssemblyPath),
    ];

    [Fact]
    public void EveryLog_UsesAnIdOfItsAssemblysRegistry_InItsRange_AndNoIdIsUsedTwice()
    {
        var uses = new List<(string Assembly, string Method, int Id)>();
        var problems = new List<string>();
        var ranges = new List<(string Assembly, int First, int Last)>();
        foreach (var assembly in Assemblies)
        {
            var name = assembly.GetName().Name!;
            var registry = Assert.Single(LoadableTypes(assembly), t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("LogEvents", StringComparison.Ordinal));
            var ids = registry.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
            var (first, last) = (ids["First"], ids["Last"]);
            ranges.Add((name, first, last));
            var declared = ids.Where(kv => kv.Key is not ("First" or "Last")).Select(kv => kv.Value).ToList();
            var logs = LogsOf(assembly).ToList();
            uses.AddRange(logs.Select(l => (name, l.Method, l.Id)));
            problems.AddRange(logs.Where(l => l.Id < first || l.Id > last).Select(l => $"{name}: {l.Method} has id {l.Id}, outside {first}–{last}"));
            problems.AddRange(logs.Where(l => !declared.Contains(l.Id)).Select(l => $"{name}: {l.Method} has id {l.Id}, which {registry.Name} does not declare"));
            problems.AddRange(declared.Where(id => logs.Count(l => l.Id == id) != 1).Select(id => $"{name}: {registry.Name} id {id} is used by {logs.Count(l => l.Id == id)} logs, not one"));
            problems.AddRange(declared.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{name}: {registry.Name} declares {g.Key} {g.Count()} times"));
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

    private static IEnumerable<(string Method, int Id)> LogsOf(Assembly assembly) =>
        from type in LoadableTypes(assembly)
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        from attribute in method.GetCustomAttributesData()
        where attribute.AttributeType == typeof(LoggerMessageAttribute)
        select ($"{type.Name}.{method.Name}", EventIdOf(attribute));

    /// <summary>The attribute's EventId, named or first in its constructor; -1 (the attribute's default) when it has none.</summary>
    private static int EventIdOf(CustomAttributeData attribute) =>
        attribute.NamedArguments.Where(a => a.MemberName == nameof(LoggerMessageAttribute.EventId)).Select(a => (int)a.TypedValue.Value!).FirstOrDefault(
            attribute.ConstructorArguments.Count > 0 && attribute.ConstructorArguments[0].ArgumentType == typeof(int) ? (int)attribute.ConstructorArguments[0].Value! : -1);

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
