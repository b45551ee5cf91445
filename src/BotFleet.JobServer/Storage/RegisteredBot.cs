namespace BotFleet.JobServer.Storage;

/// <summary>A bot as the server's registry knows it, for operators: what it offers, its assignment, when it was seen, the jobs it holds and the health its latest heartbeat reported.</summary>
public sealed record RegisteredBot(
    string BotId,
    string BotKey,
    string Version,
    IReadOnlyList<string> Capabilities,
    BotAssignmentState Assignment,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastSeenAt,
    int LeasedJobs,
    BotHealthReport? Health = null);
