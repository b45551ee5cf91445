using Microsoft.Extensions.Logging;

namespace BotFleet.JobServer.Apis;

public static partial class BotsApi
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Bot {BotId} registered (bot_key {BotKey}, instance {InstanceId}, first time: {Created})")]
    private static partial void LogRegistered(ILogger logger, string botId, string botKey, string instanceId, bool created);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Bots API {Endpoint} refused a request with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string endpoint, int? statusCode);
}
