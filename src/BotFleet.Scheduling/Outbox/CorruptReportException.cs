namespace BotFleet.Scheduling.Outbox;

/// <summary>An outbox report that cannot be turned into a request; it is quarantined, never retried.</summary>
public sealed class CorruptReportException : Exception
{
    public CorruptReportException()
    {
    }

    public CorruptReportException(string message)
        : base(message)
    {
    }

    public CorruptReportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
