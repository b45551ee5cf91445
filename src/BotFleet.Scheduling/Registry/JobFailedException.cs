namespace BotFleet.Scheduling.Registry;

/// <summary>Thrown by a handler for an expected failure (bad input, refused work): its message is the report's error.</summary>
public sealed class JobFailedException : Exception
{
    public JobFailedException()
    {
    }

    public JobFailedException(string message)
        : base(message)
    {
    }

    public JobFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
