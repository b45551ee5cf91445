namespace BotFleet.Cli.Errors;

/// <summary>A failure a command detected itself (an unknown bot, a bot not yet registered), carrying what to show and exit with.</summary>
internal sealed class CliException : Exception
{
    public CliException(CliError error)
        : base(error.Message)
    {
        Error = error;
    }

    public CliException()
        : this(new CliError(ErrorCodes.Unexpected, "The command failed.", ExitCodes.Failure))
    {
    }

    public CliException(string message)
        : this(new CliError(ErrorCodes.Unexpected, message, ExitCodes.Failure))
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new CliError(ErrorCodes.Unexpected, message, ExitCodes.Failure);
    }

    public CliError Error { get; }

    public static CliException BotNotFound(string botKey) =>
        new(new CliError(ErrorCodes.NotFound, $"bot '{botKey}' is not known to the fleet (see 'botfleet bots list').", ExitCodes.NotFound));

    public static CliException JobNotFound(string jobId) =>
        new(new CliError(ErrorCodes.NotFound, $"job '{jobId}' was not found.", ExitCodes.NotFound));
}
