namespace BotFleet.Cli;

/// <summary>The process exit codes scripts can rely on (the README's table lists them).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation failed at the silo or the job server (a 5xx, an answer that could not be read, a bug).</summary>
    public const int Failure = 1;

    /// <summary>The command line (or what the server said about it: 400, 413, 422) is invalid.</summary>
    public const int BadInput = 2;

    /// <summary>The bot or job named does not exist (an unknown key, a typo, a 404).</summary>
    public const int NotFound = 3;

    /// <summary>The job server refused the caller (401 without or with a wrong API key, 403).</summary>
    public const int Unauthorized = 4;

    /// <summary>The silo or the job server could not be reached (refused, timed out), or watch gave up after failed polls.</summary>
    public const int Unreachable = 5;

    /// <summary><c>watch --until-drained</c> ended with pending jobs that no running bot offers (stranded).</summary>
    public const int Stranded = 6;

    /// <summary>Stopped by Ctrl+C before finishing (the shell's convention for SIGINT).</summary>
    public const int Interrupted = 130;
}
