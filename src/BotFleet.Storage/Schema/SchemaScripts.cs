using System.Reflection;

namespace BotFleet.Storage.Schema;

/// <summary>Loads the embedded schema scripts of one dialect, in file-name order.</summary>
internal static class SchemaScripts
{
    private const string ResourcePrefix = "BotFleet.Storage.Sql.";

    public static IReadOnlyList<SchemaScript> Load(SqlDialect dialect)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var prefix = ResourcePrefix + dialect + ".";
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new SchemaScript(name[prefix.Length..], Read(assembly, name)))
            .ToList();

        // An empty list would "succeed" and leave the providers failing later with a less obvious message.
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No embedded {dialect} schema scripts found under '{prefix}'.");
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
