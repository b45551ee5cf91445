namespace BotFleet.Cli.Errors;

/// <summary>One failure as the user sees it: <c>error: message</c> on stderr, or <c>{"error": {"code", "message"}}</c> with --json.</summary>
internal sealed record CliError(string Code, string Message, int ExitCode);
