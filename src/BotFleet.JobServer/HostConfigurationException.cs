namespace BotFleet.JobServer;

/// <summary>
/// A setting or the environment a BotFleet host found wrong before it started (a port in use, say); its message is
/// written for the operator and names the key. <see cref="StartupFailure"/> reports it without a stack trace.
/// </summary>
public sealed class HostConfigurationException : Exception
{
    public HostConfigurationException()
    {
    }

    public HostConfigurationException(string message)
        : base(message)
    {
    }

    public HostConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
