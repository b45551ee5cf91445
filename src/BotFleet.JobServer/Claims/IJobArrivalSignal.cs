namespace BotFleet.JobServer.Claims;

/// <summary>
/// Tells waiting long-poll claims that a job of some operation may have become claimable: a submit, a failure that
/// made a job pending at once, a lease sweep. A signal is a hint, never a promise: the woken claim claims again and
/// may find nothing (another claimer was faster), then waits on.
/// </summary>
public interface IJobArrivalSignal
{
    /// <summary>
    /// A task that completes on the next notification for any of <paramref name="operations"/> (or for all). Take it
    /// <em>before</em> the claim that found nothing, so a job submitted in between is not missed.
    /// </summary>
    Task Next(IReadOnlyList<string> operations);

    /// <summary>Jobs of <paramref name="operation"/> may be claimable now.</summary>
    void Notify(string operation);

    /// <summary>Jobs of any operation may be claimable now (or notifications may have been missed).</summary>
    void NotifyAll();
}
