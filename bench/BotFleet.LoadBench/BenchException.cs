namespace BotFleet.LoadBench;

/// <summary>An expected failure of a run (missing binaries, a process that died, no progress): one clear message, exit code 1.</summary>
internal sealed class BenchException : Exception
{
    public BenchException()
    {
    }

    public BenchException(string message)
        : base(message)
    {
    }

    public BenchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
