namespace BotFleet.JobServer.Storage;

/// <param name="LeaseExtendedTo">The lease end given to every job the bot still holds.</param>
/// <param name="Leases">The jobs whose lease was extended.</param>
public sealed record HeartbeatResult(DateTimeOffset LeaseExtendedTo, IReadOnlyList<string> Leases);
