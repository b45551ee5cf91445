namespace BotFleet.JobServer;

/// <summary>Command-line defaults every BotFleet host (silo, standalone job server) starts with.</summary>
public static class HostArguments
{
    private const string ReloadConfigOnChange = "--hostBuilder:reloadConfigOnChange";

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
}
