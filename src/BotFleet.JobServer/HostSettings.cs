using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using BotFleet.Settings;

namespace BotFleet.JobServer;

/// <summary>
/// The settings a BotFleet host reads: which options class each configuration section binds to. A start-up failure only
/// knows a key ("BotFleet:Silo:GatewayPort") or a C# type; this turns them into what an operator can act on: the valid
/// values of a key (its range, its enum's names) and the section a type is bound from.
/// </summary>
public sealed class HostSettings
{
    private readonly List<(string Section, Type Type)> _sections = [];

    /// <summary>The job server's settings (standalone, or embedded in a silo).</summary>
    public static HostSettings ForJobServer() => new HostSettings().Add(JobServerOptions.SectionName, typeof(JobServerOptions));

    /// <summary>Adds a section and the options class (or dictionary of them, keyed by the next segment) it binds to.</summary>
    public HostSettings Add(string section, Type optionsType)
    {
        ArgumentException.ThrowIfNullOrEmpty(section);
        ArgumentNullException.ThrowIfNull(optionsType);
        _sections.Add((section, optionsType));
        return this;
    }

    /// <summary>Every section of <paramref name="other"/> added to these.</summary>
    public HostSettings Add(HostSettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _sections.AddRange(other._sections);
        return this;
    }

    /// <summary>
    /// What <paramref name="key"/> takes, as words: "a whole number between 1 and 65535", "one of Sqlite, PostgreSql";
    /// <paramref name="fallback"/> (the type the binder named) when the key is not one of these settings.
    /// </summary>
    public string ValidValues(string key, Type? fallback)
    {
        ArgumentNullException.ThrowIfNull(key);
        var property = FindProperty(key);
        var type = property?.PropertyType ?? fallback;
        if (type is null)
        {
            return "a valid value";
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = Describe(type);
        return property?.GetCustomAttribute<RangeAttribute>() is { } range
            ? $"{kind} between {Format(range.Minimum)} and {Format(range.Maximum)}"
            : kind;
    }

    /// <summary>True when <paramref name="key"/> is a setting marked <see cref="SecretAttribute"/>: its value is never shown.</summary>
    public bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return FindProperty(key)?.GetCustomAttribute<SecretAttribute>() is not null;
    }

    /// <summary>The configuration path <paramref name="optionsType"/> is bound from, and the keys it takes; null for a type not listed.</summary>
    public (string Section, IReadOnlyList<string> Keys)? SectionOf(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        foreach (var (section, type) in _sections)
        {
            if (Find(section, type, optionsType, depth: 0) is { } path)
            {
                return (path, Keys(optionsType));
            }
        }

        return null;
    }

    private static string? Find(string path, Type type, Type wanted, int depth)
    {
        if (type == wanted)
        {
            return path;
        }

        if (depth > 4 || !IsOptionsClass(type))
        {
            return null;
        }

        foreach (var property in Settable(type))
        {
            if (Find($"{path}:{property.Name}", property.PropertyType, wanted, depth + 1) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private PropertyInfo? FindProperty(string key)
    {
        foreach (var (section, type) in _sections.OrderByDescending(s => s.Section.Length))
        {
            if (key.Length <= section.Length + 1
                || !key.StartsWith(section, StringComparison.OrdinalIgnoreCase)
                || key[section.Length] != ':')
            {
                continue;
            }

            var current = type;
            PropertyInfo? property = null;
            foreach (var segment in key[(section.Length + 1)..].Split(':'))
            {
                if (ElementType(current) is { } element)
                {
                    // A dictionary's key or a list's index: the next segment names the element's setting.
                    current = element;
                    property = null;
                    continue;
                }

                property = Settable(current).FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase));
                if (property is null)
                {
                    return null;
                }

                current = property.PropertyType;
            }

            return property;
        }

        return null;
    }

    private static IReadOnlyList<string> Keys(Type type) => [.. Settable(type).Select(p => p.Name)];

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    private static bool IsOptionsClass(Type type) => type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var arguments = type.IsGenericType ? type.GetGenericArguments() : [];
        return arguments.Length > 0 ? arguments[^1] : typeof(object);
    }

    private static string Describe(Type type) => type switch
    {
        { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ushort) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a duration (hh:mm:ss[.fff], e.g. 00:00:30)",
        _ when type == typeof(Uri) => "an absolute URL (e.g. http://127.0.0.1:5080)",
        _ when type == typeof(string) => "text",
        _ => $"a {type.Name}",
    };

    private static string Format(object value) => value switch
    {
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
