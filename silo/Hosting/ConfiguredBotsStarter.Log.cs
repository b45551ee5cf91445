using Microsoft.Extensions.Logging;

namespace BotFleet.Silo.Hosting;

public sealed partial class ConfiguredBotsStarter
{
    [LoggerMessage(EventId = SiloLogEvents.BotStarted, Level = LogLevel.Information, Message = "Started bot {BotKey} (ops {Operations}, max_concurrency {MaxConcurrency})")]
    private partial void LogBotStarted(string botKey, IReadOnlyList<string> operations, int maxConcurrency);

    [LoggerMessage(EventId = SiloLogEvents.BotStartFailed, Level = LogLevel.Error, Message = "Could not start bot {BotKey}")]
    private partial void LogBotStartFailed(string botKey, Exception exception);
}
