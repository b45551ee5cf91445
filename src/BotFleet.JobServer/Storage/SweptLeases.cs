namespace BotFleet.JobServer.Storage;

/// <summary>What a sweep of expired leases did.</summary>
/// <param name="Count">Leases ended.</param>
/// <param name="Ended">Jobs that ended because of it (dead or cancelled); null when none.</param>
/// <param name="EarliestLeft">The earliest lease still held after the sweep (unix ms), null when none is.</param>
internal readonly record struct SweptLeases(int Count, EndedJobs? Ended, long? EarliestLeft);
