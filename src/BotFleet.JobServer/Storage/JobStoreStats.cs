namespace BotFleet.JobServer.Storage;

public sealed record JobStoreStats(
    StatusCounts Jobs,
    IReadOnlyDictionary<string, StatusCounts> ByOp,
    long RegisteredBots,
    long ActiveBots);
