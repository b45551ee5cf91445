namespace BotFleet.JobServer.Claims;

/// <summary>What both job stores tell the waiting claims after a change commits.</summary>
public static class JobArrivalSignalExtensions
{
    /// <summary>Jobs of each of <paramref name="operations"/> may be claimable now; nothing when there is no signal or no operation.</summary>
    public static void NotifyEach(this IJobArrivalSignal? signal, IEnumerable<string>? operations)
    {
        if (signal is null || operations is null)
        {
            return;
        }

        foreach (var operation in operations)
        {
            signal.Notify(operation);
        }
    }
}
