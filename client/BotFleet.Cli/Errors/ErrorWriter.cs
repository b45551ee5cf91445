using BotFleet.Cli.Output;

namespace BotFleet.Cli.Errors;

/// <summary>Writes a failure: <c>error: …</c> lines on stderr, or with --json <c>{"error": {"code", "message"}}</c> on stdout.</summary>
internal static class ErrorWriter
{
    public static async Task<int> WriteAsync(CliContext context, CliError error, bool json)
    {
        if (json)
        {
            // Scripts read stdout only: the error lands where the result would have.
            CliJson.Write(context.Output, new ErrorEnvelope(new ErrorBody(error.Code, error.Message, error.ExitCode)));
        }
        else
        {
            await context.Error.WriteLineAsync($"error: {error.Message}");
        }

        return error.ExitCode;
    }

    private sealed record ErrorEnvelope(ErrorBody Error);

    private sealed record ErrorBody(string Code, string Message, int ExitCode);
}
