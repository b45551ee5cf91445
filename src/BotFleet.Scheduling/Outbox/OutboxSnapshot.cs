namespace BotFleet.Scheduling.Outbox;

/// <summary>The durable part of a bot: reports waiting to be delivered, in order, and those set aside.</summary>
public sealed record OutboxSnapshot(IReadOnlyList<JobReport> Pending, IReadOnlyList<QuarantinedReport> Quarantined);
