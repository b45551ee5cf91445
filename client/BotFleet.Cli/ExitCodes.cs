namespace BotFleet.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The silo or job server could not be reached, or the operation failed there.</summary>
    public const int Failure = 1;

    /// <summary>The command line (or what the server said about it) is invalid.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by Ctrl+C before finishing (the shell's convention for SIGINT).</summary>
    public const int Interrupted = 130;
}
