namespace BotFleet.Cli.Errors;

/// <summary>The <c>error.code</c> values of --json errors: stable words a script can switch on, one per exit code and more.</summary>
internal static class ErrorCodes
{
    public const string Usage = "usage";
    public const string NotFound = "not_found";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string Unreachable = "unreachable";
    public const string ServerError = "server_error";
    public const string NotRegistered = "not_registered";
    public const string OutboxNotEmpty = "outbox_not_empty";
    public const string Interrupted = "interrupted";
    public const string Unexpected = "unexpected";
}
