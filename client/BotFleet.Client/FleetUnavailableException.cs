namespace BotFleet.Client;

/// <summary>
/// The silo could not be reached or did not answer in time. Its message says which gateway
/// was tried and why, so a caller can show it as it is.
/// </summary>
public sealed class FleetUnavailableException : Exception
{
    public FleetUnavailableException()
        : this("The BotFleet silo is unreachable.")
    {
    }

    public FleetUnavailableException(string message)
        : base(message)
    {
    }

    public FleetUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
