namespace BotFleet.Scheduling.Outbox;

/// <summary>An outbox report that can never be sent as it is (e.g. its result is not JSON), set aside for an operator.</summary>
[GenerateSerializer, Immutable, Alias("BotFleet.QuarantinedReport")]
public sealed record QuarantinedReport(
    [property: Id(0)] JobReport Report,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset QuarantinedAt);
