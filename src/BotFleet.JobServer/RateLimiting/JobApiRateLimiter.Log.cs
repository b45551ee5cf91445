using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.RateLimiting;

internal sealed partial class JobApiRateLimiter
{
    [LoggerMessage(EventId = JobServerLogEvents.RateLimited, Level = LogLevel.Debug, Message = "Job API rate limit: refused {Method} {Path}, retry after {RetryAfterSeconds} s")]
    private static partial void LogRejected(ILogger logger, string method, PathString path, int retryAfterSeconds);
}
