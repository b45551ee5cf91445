namespace BotFleet.JobServer.Storage;

/// <summary>What a claim asks a store's dialect to lease.</summary>
/// <param name="Operations">The operations the bot asked for, each once; the bot's assignment narrows them.</param>
/// <param name="ClaimId">The bot's id for this claim, remembered with what it leased so a repeat can be answered alike.</param>
/// <param name="Now">Unix ms.</param>
/// <param name="LeaseUntil">The new leases' end, unix ms.</param>
internal readonly record struct LeaseRequest(string BotId, string[] Operations, int Limit, string? ClaimId, long Now, long LeaseUntil);
