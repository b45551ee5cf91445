namespace BotFleet.JobServer.Storage;

/// <param name="LeaseExtendedTo">The lease end given to every job the bot still holds.</param>
/// <param name="Leases">The jobs whose lease was extended.</param>
/// <param name="ChangedAssignment">The bot's assignment when it changed since the bot last heard it (registration or heartbeat); null otherwise.</param>
/// <param name="Cancel">The jobs among <paramref name="Leases"/> an operator cancelled; the bot is to stop them.</param>
public sealed record HeartbeatResult(DateTimeOffset LeaseExtendedTo, IReadOnlyList<string> Leases, BotAssignmentState? ChangedAssignment = null, IReadOnlyList<string>? Cancel = null);
