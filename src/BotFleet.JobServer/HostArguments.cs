namespace BotFleet.JobServer;

/// <summary>Command-line defaults every BotFleet host (silo, standalone job server) starts with.</summary>
public static class HostArguments
{
    private const string ReloadConfigOnChange = "--hostBuilder:reloadConfigOnChange";

    private const string ContentRootKey = "contentRoot";

    /// <summary>
    /// The arguments with configuration reload turned off, unless the caller set it: reloading watches the content
    /// root and everything below it, and the SQLite files written there (data/) woke that watcher on every write
    /// (8 % of the silo's CPU under load). Settings are read at start-up.
    /// </summary>
    public static string[] WithDefaults(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a.StartsWith(ReloadConfigOnChange, StringComparison.OrdinalIgnoreCase))
            ? args
            : [$"{ReloadConfigOnChange}=false", .. args];
    }

    /// <summary>
    /// Where a host reads its appsettings.json from: the folder of the executable, whatever the working directory (run from
    /// another folder, the host found no settings and logged every request at Information); null, leaving the host's
    /// own rules, when the command line or the environment names a content root.
    /// </summary>
    public static string? ContentRoot(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var named = args.Any(a => a.TrimStart('-', '/').StartsWith(ContentRootKey, StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return named ? null : AppContext.BaseDirectory;
    }
}
