using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Auth;

internal static partial class JobApiAccess
{
    [LoggerMessage(EventId = JobServerLogEvents.AccessRefused, Level = LogLevel.Debug, Message = "Job API refused {Path} with {StatusCode} ({Check})")]
    private static partial void LogRefused(ILogger logger, PathString path, int statusCode, string check);
}
