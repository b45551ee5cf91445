using Microsoft.Extensions.Logging;

namespace BotFleet.Storage.Hosting;

internal sealed partial class QuarantiningGrainStorageSerializer
{
    [LoggerMessage(EventId = StorageLogEvents.Quarantined, Level = LogLevel.Critical,
        Message = "Unreadable grain state of type {StateType} ({Bytes} bytes) quarantined as BotFleetQuarantinedState row {QuarantineId}; the grain starts clean")]
    private partial void LogQuarantined(string stateType, long quarantineId, int bytes, Exception exception);
}
