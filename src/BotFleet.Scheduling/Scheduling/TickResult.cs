using System.Net;
using BotFleet.JobApi.Client;

namespace BotFleet.Scheduling.Scheduling;

/// <summary>
/// The outcome of a tick, how many jobs it started, the server's Retry-After if it sent one, and whether the tick
/// failed because the job server was not there at all (<see cref="OutageLine"/> wakes such bots when it is back).
/// </summary>
public readonly record struct TickResult(TickOutcome Outcome, int JobsStarted = 0, TimeSpan? RetryAfter = null, bool ServerUnreachable = false)
{
    /// <summary>The tick's claim was answered: the job server is there and taking work.</summary>
    public bool ReachedServer => Outcome is TickOutcome.Claimed or TickOutcome.ClaimedFullBatch or TickOutcome.Idle or TickOutcome.IdleAfterWait;

    /// <summary>A tick that <paramref name="fault"/> ended.</summary>
    public static TickResult Failed(TickOutcome outcome, Exception fault)
    {
        var retryAfter = (fault as JobApiException)?.RetryAfter;
        return new(outcome, 0, retryAfter, retryAfter is null && IsUnreachable(fault));
    }

    // No answer (refused, reset, timed out), or a gateway saying the server behind it is down. Any other answer is
    // about this bot's request (a report the server cannot take, a refused registration), not the server as a whole.
    private static bool IsUnreachable(Exception fault) => fault switch
    {
        JobApiException { StatusCode: null } => true,
        JobApiException { StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        HttpRequestException { StatusCode: null } => true,
        _ => false,
    };
}
