using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

/// <summary>
/// What an operator needs when a BotFleet host (silo, standalone job server) cannot start because of its settings or
/// its environment: one line on stderr naming the key as it is written in configuration, the value it has and the
/// values it takes, and exit code 1; the exception itself only at Debug ("Logging:LogLevel:BotFleet.Startup"). Anything
/// else is a defect and still crashes with its stack trace.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>The process's exit code when its settings or environment stop it (the issue's "exit code 1").</summary>
    public const int ConfigurationExitCode = 1;

    /// <summary>Every line printed for a refused start begins with this.</summary>
    public const string Prefix = "BotFleet cannot start: ";

    /// <summary>The logging category of the refused start's full exception (written at Debug).</summary>
    public const string LogCategory = "BotFleet.Startup";

    private const string ValueNotLogged = "(not shown)";

    /// <summary>
    /// The generic host logs a failed start with the whole stack trace before it throws; <see cref="RunAsync"/> reports
    /// what an operator must fix once, without it (a defect is still rethrown, and the runtime prints its trace).
    /// </summary>
    public static ILoggingBuilder ReportStartFailuresOnce(this ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

    /// <summary>
    /// Runs the host built by <paramref name="run"/> and returns the process exit code: 0, or
    /// <see cref="ConfigurationExitCode"/> after one line on stderr when settings or the environment stopped it.
    /// </summary>
    /// <param name="args">The command line, read again (with appsettings.json and the environment) to name values and to log the failure.</param>
    /// <param name="settings">The host's settings, to name the valid values of a key.</param>
    /// <param name="run">Builds and runs the host.</param>
    public static async Task<int> RunAsync(string[] args, HostSettings settings, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run();
            return 0;
        }
        catch (Exception ex) when (ReadConfiguration(args) is var configuration && Describe(ex, settings, configuration) is { } message)
        {
            LogAtDebug(configuration, message, ex);
            await Console.Error.WriteLineAsync(Prefix + message);
            return ConfigurationExitCode;
        }
    }

    /// <summary>The operator's one-line message for a failure caused by settings or the environment; null for anything else.</summary>
    public static string? Describe(Exception exception, HostSettings settings, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        return exception switch
        {
            HostConfigurationException own => own.Message,
            OptionsValidationException invalid => string.Join("; ", invalid.Failures.Select(f => Failure(f, settings, configuration))),
            InvalidOperationException { Message: var message } when ConversionFailed().IsMatch(message) => Failure(message, settings, configuration),
            // A key the binder was told to refuse (ErrorOnUnknownConfiguration): its message names the type, not the section.
            InvalidOperationException { Message: var message } when UnknownKeys().Match(message) is { Success: true } unknown => Unknown(unknown, settings),
            IOException inUse when IsAddressInUse(inUse) => AddressInUse(inUse.Message),
            AggregateException aggregate => Combine(aggregate.InnerExceptions, settings, configuration),
            { InnerException: { } inner } => Describe(inner, settings, configuration),
            _ => null,
        };
    }

    // One validation failure, as the options validators and the binder word it, made into "<key> must be <valid>, got '<value>'.".
    private static string Failure(string failure, HostSettings settings, IConfiguration configuration)
    {
        // ValidateDataAnnotations wraps our own message in the C# names: "DataAnnotation validation failed for 'JobServerOptions'
        // members: 'DefaultMaxAttempts' with the error: 'JobServer:DefaultMaxAttempts must be between 1 and 100.'."
        var message = DataAnnotationFailure().Match(failure) is { Success: true } annotated ? annotated.Groups["error"].Value : failure;
        if (ConversionFailed().Match(message) is { Success: true } conversion)
        {
            var key = conversion.Groups["key"].Value;
            var valid = settings.ValidValues(key, TypeNamed(conversion.Groups["type"].Value));
            return $"{key} must be {valid}, got '{Shown(settings, key, conversion.Groups["value"].Value)}'.";
        }

        // Our messages begin with the key; add the value the operator gave when the message does not say it.
        if (LeadingKey().Match(message) is { Success: true } lead
            && configuration[lead.Value] is { } value
            && !SaysValue(message, value))
        {
            return $"{message.TrimEnd('.')}, got '{Shown(settings, lead.Value, value)}'.";
        }

        return message;
    }

    // "got …", "'value'" or "(value)": the message names the value already.
    private static bool SaysValue(string message, string value) =>
        message.Contains(" got ", StringComparison.Ordinal)
        || message.Contains($"'{value}'", StringComparison.Ordinal)
        || message.Contains($"({value})", StringComparison.Ordinal);

    private static string Unknown(Match unknown, HostSettings settings)
    {
        var names = unknown.Groups["names"].Value.Split(", ").Select(n => n.Trim('\'')).ToList();
        var typeName = unknown.Groups["type"].Value.Trim();
        if (TypeNamed(typeName) is { } type && settings.SectionOf(type) is var (section, keys))
        {
            var listed = string.Join(", ", names.Select(n => $"{section}:{n}"));
            return $"{listed} {(names.Count == 1 ? "is not a setting" : "are not settings")}; {section} takes {string.Join(", ", keys)}.";
        }

        return $"{string.Join(", ", names)} {(names.Count == 1 ? "is not a setting" : "are not settings")} of {typeName}.";
    }

    // Kestrel: "Failed to bind to address http://127.0.0.1:5080: address already in use."
    private static string AddressInUse(string message)
    {
        var address = BindAddress().Match(message) is { Success: true } bind ? bind.Groups["url"].Value : null;
        var port = address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return port is null
            ? $"{message} Another process listens there; choose another address with --urls (or ASPNETCORE_URLS)."
            : $"urls: port {port} ({address}) is already in use by another process; choose another address with --urls (or ASPNETCORE_URLS).";
    }

    // Kestrel: IOException ("Failed to bind to address …") ← AddressInUseException ← SocketException.
    private static bool IsAddressInUse(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    // Every failure must be one of ours; one defect among them keeps the crash (and its stack trace).
    private static string? Combine(IReadOnlyCollection<Exception> failures, HostSettings settings, IConfiguration configuration)
    {
        var messages = failures.Select(f => Describe(f, settings, configuration)).ToList();
        return messages.Count > 0 && messages.All(m => m is not null) ? string.Join("; ", messages.Distinct()) : null;
    }

    // Secrets are never echoed: connection strings and keys.
    private static string Shown(HostSettings settings, string key, string value) => settings.IsSecret(key) ? ValueNotLogged : value;

    private static Type? TypeNamed(string fullName) =>
        Type.GetType(fullName, throwOnError: false)
        ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t is not null);

    // The sources the hosts read, in the same order: enough to name the values given and to honour the logging levels.
    private static IConfigurationRoot ReadConfiguration(string[] args)
    {
        try
        {
            return new ConfigurationBuilder()
                .SetBasePath(AppContext.BaseDirectory)
                .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
                .AddEnvironmentVariables()
                .AddCommandLine(args)
                .Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            return new ConfigurationBuilder().Build();
        }
    }

    private static void LogAtDebug(IConfiguration configuration, string message, Exception exception)
    {
        using var loggers = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = false));
        var logger = loggers.CreateLogger(LogCategory);
        Log.StartRefused(logger, message, exception);
    }

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailed();

    [GeneratedRegex(@"'ErrorOnUnknownConfiguration' was set .* not found on the instance of (?<type>[^:]+): (?<names>.*)$", RegexOptions.Singleline)]
    private static partial Regex UnknownKeys();

    [GeneratedRegex(@"Failed to bind to address (?<url>\S+?): address already in use")]
    private static partial Regex BindAddress();

    [GeneratedRegex(@"^[A-Za-z][\w.-]*(?::[\w.-]+)+")]
    private static partial Regex LeadingKey();
}
