namespace BotFleet.JobServer.Storage;

public sealed record StatusCounts(long Pending, long Leased, long Completed, long Dead, long Cancelled = 0);
