using System.Net;
using BotFleet.Cli.Connections;
using BotFleet.Client;
using BotFleet.JobApi.Client;

namespace BotFleet.Cli.Errors;

/// <summary>
/// Turns what a command threw into the <see cref="CliError"/> the user sees. Expected failures get one clear
/// sentence and their own exit code; anything else keeps the whole exception, which is what a bug report needs.
/// </summary>
internal static class ErrorTranslator
{
    /// <param name="server">The job server the command used, named in "unreachable" and 401 messages.</param>
    /// <param name="apiKeyGiven">Whether --api-key or BOTFLEET_API_KEY supplied a key, so a 401 can say which mistake it was.</param>
    public static CliError Translate(Exception exception, Uri? server, bool apiKeyGiven) => exception switch
    {
        CliException cli => cli.Error,
        // Raised by FleetClient's (or the grain's) check of a bot definition: the input is at fault.
        ArgumentException argument => new(ErrorCodes.Usage, argument.Message, ExitCodes.BadInput),
        FleetUnavailableException unavailable => new(ErrorCodes.Unreachable, unavailable.Message, ExitCodes.Unreachable),
        JobApiException { StatusCode: null } api =>
            new(ErrorCodes.Unreachable, $"the job server at {server} is unreachable ({api.Message}). Is it running?", ExitCodes.Unreachable),
        JobApiException { StatusCode: HttpStatusCode.Unauthorized } => new(ErrorCodes.Unauthorized, Unauthorized(server, apiKeyGiven), ExitCodes.Unauthorized),
        JobApiException { StatusCode: HttpStatusCode.Forbidden } api => new(
            ErrorCodes.Forbidden,
            $"the job server at {server} refused the call (403): with no JobServer:ApiKey set it answers callers on its own machine only; " +
            $"set JobServer:ApiKey on the server and pass it with --api-key or {ApiKeys.EnvironmentVariable} ({api.Message}).",
            ExitCodes.Unauthorized),
        JobApiException { StatusCode: HttpStatusCode.NotFound } api => new(ErrorCodes.NotFound, api.Message, ExitCodes.NotFound),
        JobApiException api when IsRefusedInput(api) => new(ErrorCodes.Usage, api.Message, ExitCodes.BadInput),
        JobApiException api => new(ErrorCodes.ServerError, api.Message, ExitCodes.Failure),
        OperationCanceledException => new(ErrorCodes.Interrupted, "Interrupted.", ExitCodes.Interrupted),
        _ => new(ErrorCodes.Unexpected, $"unexpected failure: {exception}", ExitCodes.Failure),
    };

    /// <summary>True for failures worth another poll: nothing answered, or the server was overloaded or failing (429, 5xx).</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        FleetUnavailableException => true,
        JobApiException api => api.IsTransient,
        _ => false,
    };

    private static string Unauthorized(Uri? server, bool apiKeyGiven) => apiKeyGiven
        ? $"the job server at {server} refused the API key (401): pass the server's JobServer:ApiKey with --api-key or set {ApiKeys.EnvironmentVariable}."
        : $"the job server at {server} requires an API key (401): pass --api-key or set {ApiKeys.EnvironmentVariable} to the server's JobServer:ApiKey.";

    /// <summary>400/413/422: the server read the request and found it wrong, which is the caller's input.</summary>
    private static bool IsRefusedInput(JobApiException exception) =>
        exception.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity;
}
