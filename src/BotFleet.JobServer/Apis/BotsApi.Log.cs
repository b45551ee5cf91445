using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Apis;

public static partial class BotsApi
{
    [LoggerMessage(EventId = JobServerLogEvents.BotRegistered, Level = LogLevel.Information, Message = "Bot {BotId} registered (bot_key {BotKey}, instance {InstanceId}, first time: {Created})")]
    private static partial void LogRegistered(ILogger logger, string botId, string botKey, string instanceId, bool created);

    [LoggerMessage(EventId = JobServerLogEvents.BotRequestRejected, Level = LogLevel.Debug, Message = "Bots API {Endpoint} refused a request with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string endpoint, int? statusCode);

    [LoggerMessage(EventId = JobServerLogEvents.AssignmentChanged, Level = LogLevel.Information, Message = "Bot {BotId}: assignment changed ({OperationCount} operation(s), max concurrency {MaxConcurrency}, paused: {Paused})")]
    private static partial void LogAssignmentChanged(ILogger logger, string botId, int operationCount, int maxConcurrency, bool paused);

    [LoggerMessage(EventId = JobServerLogEvents.AssignmentDelivered, Level = LogLevel.Debug, Message = "Bot {BotId}: new assignment delivered on heartbeat (paused: {Paused}, max concurrency {MaxConcurrency})")]
    private static partial void LogAssignmentDelivered(ILogger logger, string botId, bool paused, int maxConcurrency);
}
