namespace BotFleet.Scheduling.Outbox;

[GenerateSerializer, Alias("BotFleet.ReportKind")]
public enum ReportKind
{
    Complete = 0,
    Fail = 1,
}
