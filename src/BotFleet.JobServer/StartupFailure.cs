using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotFleet.JobServer;

/// <summary>
/// What an operator needs when a BotFleet host (silo, standalone job server) cannot start because of its settings or
/// its environment: one message naming the key and the value, on stderr, and exit code 78 (EX_CONFIG), rather than an
/// unhandled exception's stack trace and 134. Anything else is a defect and still crashes with its stack trace.
/// </summary>
public static class StartupFailure
{
    /// <summary>sysexits' EX_CONFIG: the configuration is wrong.</summary>
    public const int ConfigurationExitCode = 78;

    /// <summary>
    /// The generic host logs a failed start with the whole stack trace before it throws; <see cref="RunAsync"/> reports
    /// what an operator must fix once, without it (a defect is still rethrown, and the runtime prints its trace).
    /// </summary>
    public static ILoggingBuilder ReportStartFailuresOnce(this ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

    /// <summary>Runs the host built by <paramref name="run"/> and returns the process exit code.</summary>
    public static async Task<int> RunAsync(Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run();
            return 0;
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"BotFleet cannot start: {message}");
            return ConfigurationExitCode;
        }
    }

    /// <summary>The operator's message for a failure caused by settings or the environment; null for anything else.</summary>
    public static string? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            HostConfigurationException own => own.Message,
            OptionsValidationException invalid => string.Join(Environment.NewLine + "  ", ["invalid settings:", .. invalid.Failures]),
            InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
                => message + ValidValues(message),
            // A key the binder was told to refuse (ErrorOnUnknownConfiguration): its message names the key and the type.
            InvalidOperationException { Message: var message } when message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal) => message,
            IOException inUse when IsAddressInUse(inUse)
                => $"{inUse.Message} Another process listens there; choose another address with --urls (or ASPNETCORE_URLS).",
            AggregateException aggregate => Combine(aggregate.InnerExceptions),
            { InnerException: { } inner } => Describe(inner),
            _ => null,
        };
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
    private static string? Combine(IReadOnlyCollection<Exception> failures)
    {
        var messages = failures.Select(Describe).ToList();
        return messages.Count > 0 && messages.All(m => m is not null) ? string.Join(Environment.NewLine, messages) : null;
    }

    // "… to type 'BotFleet.Silo.Hosting.SiloStorage'." names an enum: list what it takes.
    private static string ValidValues(string message)
    {
        var start = message.LastIndexOf("to type '", StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        start += "to type '".Length;
        var end = message.IndexOf('\'', start);
        var typeName = end > start ? message[start..end] : null;
        var type = typeName is null ? null : AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        return type is { IsEnum: true } ? $" Valid values: {string.Join(", ", Enum.GetNames(type))}." : string.Empty;
    }
}
