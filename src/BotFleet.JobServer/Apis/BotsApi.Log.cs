using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Apis;

public static partial class BotsApi
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Bot {BotId} registered (bot_key {BotKey}, instance {InstanceId}, first time: {Created})")]
    private static partial void LogRegistered(ILogger logger, string botId, string botKey, string instanceId, bool created);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Bots API {Endpoint} refused a request with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string endpoint, int? statusCode);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Bot {BotId}: assignment changed ({OperationCount} operation(s), max concurrency {MaxConcurrency}, paused: {Paused})")]
    private static partial void LogAssignmentChanged(ILogger logger, string botId, int operationCount, int maxConcurrency, bool paused);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Bot {BotId}: new assignment delivered on heartbeat (paused: {Paused}, max concurrency {MaxConcurrency})")]
    private static partial void LogAssignmentDelivered(ILogger logger, string botId, bool paused, int maxConcurrency);
}
