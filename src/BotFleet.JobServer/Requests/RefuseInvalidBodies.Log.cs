using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Requests;

internal sealed partial class RefuseInvalidBodies
{
    [LoggerMessage(EventId = JobServerLogEvents.RequestBodyRefused, Level = LogLevel.Debug, Message = "{Method} {Path} refused a request body with {StatusCode}")]
    private partial void LogBodyRefused(string method, PathString path, int? statusCode);
}
